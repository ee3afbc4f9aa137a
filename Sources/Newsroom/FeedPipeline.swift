import Foundation
import Logging
import Curl
import Feeds
import Storage

/// The feed side of newsroom, built in one place: the database, the catalog from feeds.json, the refresher and
/// the page caches they keep fresh. `newsroom fetch` uses it alone; the server builds its web side on top.
public struct FeedPipeline: Sendable {
    public let store: any Store
    public let watcher: CatalogWatcher
    public let refresher: FeedRefresher
    /// Rendered news pages and navbar links; the refresher and catalog edits drop what they change.
    let pages: NewsPageCache
    let navigation: NavigationCache
    /// This process's counters of fetches and sign-ins, for /metrics.
    public let metrics: AppMetrics

    /// Opens the database and loads feeds.json (an invalid catalog is an error: never start with one).
    public static func make(databasePath: String, feedsPath: String, dependencies: AppDependencies, logger: Logger,
                            busyTimeout: TimeInterval = SQLiteStore.busyTimeout) async throws -> FeedPipeline {
        if dependencies.allowPrivateFeedAddresses {
            logger.warning("\(AppDependencies.allowPrivateFeedsVariable)=1: feeds may reach loopback, private and link-local addresses")
        }
        let store = try await openDatabase(databasePath, busyTimeout: busyTimeout)
        let pages = NewsPageCache()
        let navigation = NavigationCache()
        let watcher = CatalogWatcher(path: feedsPath, store: store, now: dependencies.now, logger: logger) {
            pages.invalidateAll()
            navigation.invalidate()
        }
        try await watcher.loadInitial()
        let refresher = FeedRefresher(store: store, dependencies: dependencies, logger: logger) { id in pages.invalidate(id) }
        let metrics = AppMetrics()
        refresher.observers.add { metrics.record($0) }
        return FeedPipeline(store: store, watcher: watcher, refresher: refresher, pages: pages, navigation: navigation, metrics: metrics)
    }

    /// feeds.json validated exactly as the server loads it, without opening anything else (`newsroom check`).
    public static func catalog(at feedsPath: String) throws -> Catalog {
        try CatalogWatcher.load(path: feedsPath)
    }

    /// The one place the database is opened, by every command.
    public static func openDatabase(_ path: String, busyTimeout: TimeInterval = SQLiteStore.busyTimeout) async throws -> any Store {
        try SQLiteStore(path: path, busyTimeout: busyTimeout)
    }

    /// Fetches every publication once, now, whatever its schedule.
    /// - Parameter progress: kept up to date as each publication finishes (`newsroom fetch` draws it).
    public func refreshAll(progress: RefreshProgress? = nil) async throws -> [RefreshResult] {
        let publications = try await store.publications()
        guard let progress else { return await refresher.refresh(publications) }
        progress.start(total: publications.count)
        let token = refresher.observers.add { progress.finished($0) }
        defer { refresher.observers.remove(token) }
        return await refresher.refresh(publications)
    }

    /// The background loop that follows feeds.json and fetches what is due.
    public var service: RefresherService { RefresherService(watcher: watcher, refresher: refresher) }
}

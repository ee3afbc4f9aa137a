import Foundation
import Logging
import Curl
import Feeds
import Storage
import PostgresStorage
import ServiceLifecycle

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
    /// Held by a server on an SQLite file, so a second server on it refuses to start (see `SQLiteServeLock`).
    let serveLock: SQLiteServeLock?
    /// How this instance hears what other instances on the same database changed (PostgreSQL only), and tells them.
    let changes: (any ChangeChannel)?
    /// Recently read sessions; dropped here when another instance ends one.
    let sessionCache = SessionCache(ttl: 5)
    /// What `close()` lets go of (a command's PostgreSQL connections).
    let database: OpenedDatabase

    /// Opens the database (`openDatabase`) and loads feeds.json: for commands that end, and tests.
    public static func make(databasePath: String, feedsPath: String, dependencies: AppDependencies, logger: Logger,
                            busyTimeout: TimeInterval = SQLiteStore.busyTimeout, serving: Bool = false) async throws -> FeedPipeline {
        let database = try await openDatabase(databasePath, busyTimeout: busyTimeout, logger: logger)
        return try await make(database: database, feedsPath: feedsPath, dependencies: dependencies, logger: logger, serving: serving)
    }

    /// Loads feeds.json into an open database (an invalid catalog is an error: never start with one).
    /// - Parameter serving: for a server, which must be the only one on an SQLite file; false for `newsroom fetch`,
    ///   which may run beside one.
    public static func make(database: OpenedDatabase, feedsPath: String, dependencies: AppDependencies, logger: Logger,
                            serving: Bool = false) async throws -> FeedPipeline {
        if dependencies.allowPrivateFeedAddresses {
            logger.warning("\(AppDependencies.allowPrivateFeedsVariable)=1: feeds may reach loopback, private and link-local addresses")
        }
        let store = database.store, changes = database.changes
        // Before the catalog is applied: a refused second server changes nothing.
        let serveLock = try serving ? (store as? SQLiteStore).map { try SQLiteServeLock.acquire(databaseAt: $0.path) } : nil
        let pages = NewsPageCache()
        let navigation = NavigationCache()
        // The background loop waits for the database a bounded time too: a PostgreSQL that is gone would otherwise hold
        // each call in the pool's queue for a minute, and the loop (catalog reloads included) with it.
        let background = store.limitingWaits(to: Self.backgroundWait)
        let watcher = CatalogWatcher(path: feedsPath, store: background, now: dependencies.now, logger: logger) {
            pages.invalidateAll()
            navigation.invalidate()
            if let changes { Task { await changes.publish(.catalog) } }
        }
        try await watcher.loadInitial()
        let refresher = FeedRefresher(store: background, dependencies: dependencies, logger: logger) { id in
            pages.invalidate(id)
            if let changes { Task { await changes.publish(.publication(id)) } }
        }
        let metrics = AppMetrics()
        refresher.observers.add { metrics.record($0) }
        return FeedPipeline(store: store, watcher: watcher, refresher: refresher, pages: pages, navigation: navigation, metrics: metrics,
                            serveLock: serveLock, changes: changes, database: database)
    }

    /// How long the refresher, the catalog watcher and housekeeping wait for one database call before they give it up
    /// (and the refresher pauses longer before its next round). Far above what a call takes when the database answers.
    static let backgroundWait: Duration = .seconds(15)

    /// Drops what another instance's change made stale: the page bodies and navbar built from a publication or
    /// the catalog, and the cached copy of a session it ended (the next request reads the row, which is gone).
    func apply(_ change: StoreChange) {
        switch change {
        case .publication(let id): pages.invalidate(id)
        case .catalog:
            pages.invalidateAll()
            navigation.invalidate()
        case .sessionEnded(let idHash):
            sessionCache.remove(idHash)
            pages.evictPages(of: idHash)
        }
    }

    /// Starts every cache over: changes sent while this instance was not listening are lost.
    func forgetEverything() {
        pages.invalidateAll()
        navigation.invalidate()
        sessionCache.removeAll()
    }

    /// feeds.json validated exactly as the server loads it, without opening anything else (`newsroom check`).
    public static func catalog(at feedsPath: String) throws -> Catalog {
        try CatalogWatcher.load(path: feedsPath)
    }

    /// The database for a command that ends (and tests): an SQLite file, or a PostgreSQL server whose client runs in
    /// a task the store owns (waited for up to 30 s, for a database starting beside the app, then migrated) until
    /// `close`. A server uses `databaseForServing` instead.
    public static func openDatabase(_ location: String, busyTimeout: TimeInterval = SQLiteStore.busyTimeout,
                                    logger: Logger = Logger(label: "newsroom.storage")) async throws -> OpenedDatabase {
        switch try DatabaseLocation(location) {
        case .sqlite(let path):
            return OpenedDatabase(store: try await SQLiteStore.open(path: path, busyTimeout: busyTimeout), changes: nil, close: {})
        case .postgres(let url):
            let store = try await PostgresStore.open(url: url, logger: logger)
            return OpenedDatabase(store: store, changes: PostgresChangeChannel(store: store), close: { await store.close() })
        }
    }

    /// The database for `newsroom serve`: PostgreSQL's client is one of the server's services rather than a task of
    /// the store's, so that the service group stops it, last, at shutdown. Nothing connects until `open()`.
    public static func databaseForServing(_ location: String, busyTimeout: TimeInterval = SQLiteStore.busyTimeout,
                                          logger: Logger = Logger(label: "newsroom.storage")) throws -> DatabaseForServing {
        switch try DatabaseLocation(location) {
        case .sqlite(let path):
            return DatabaseForServing(services: []) {
                OpenedDatabase(store: try await SQLiteStore.open(path: path, busyTimeout: busyTimeout), changes: nil, close: {})
            }
        case .postgres(let url):
            let store = PostgresStore(url: url, logger: logger)
            return DatabaseForServing(services: [store.client]) {
                try await store.prepare()
                return OpenedDatabase(store: store, changes: PostgresChangeChannel(store: store), close: {})
            }
        }
    }

    /// Lets go of the database (PostgreSQL's connections) once a command that opened it with `openDatabase` is done.
    public func close() async { await database.close() }

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

    /// The service that keeps this instance in step with the others on the database (PostgreSQL only).
    var databaseServices: [any Service] {
        guard let changes else { return [] }
        return [ChangeFollower(changes: changes, apply: { self.apply($0) }, reset: { self.forgetEverything() })]
    }
}

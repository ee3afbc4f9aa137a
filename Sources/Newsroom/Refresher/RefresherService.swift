import Foundation
import Logging
import ServiceLifecycle

/// The background loop: follow feeds.json, fetch whatever is due, repeat until graceful shutdown.
/// The work itself lives in `CatalogWatcher` and `FeedRefresher`, which tests call directly.
public struct RefresherService: Service {
    let watcher: CatalogWatcher
    let refresher: FeedRefresher
    let pollInterval: Duration

    public init(watcher: CatalogWatcher, refresher: FeedRefresher, pollInterval: Duration = .seconds(2)) {
        self.watcher = watcher
        self.refresher = refresher
        self.pollInterval = pollInterval
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                watcher.reloadIfChanged()
                _ = await refresher.refreshDue()
                try? await Task.sleep(for: pollInterval)
            }
        }
    }
}

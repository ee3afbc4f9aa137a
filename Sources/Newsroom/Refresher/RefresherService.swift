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

    /// The wait before the next round: the poll interval, doubled for each round in a row whose database failed,
    /// up to a minute, so a database that is down is asked less and less often (and resumes within a minute).
    static func pause(after failedRounds: Int, poll: Duration) -> Duration {
        guard failedRounds > 0 else { return poll }
        return min(poll * (1 << min(failedRounds, 10)), .seconds(60))
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var failedRounds = 0
            while !Task.isCancelled {
                await watcher.reloadIfChanged()
                let round = await refresher.refreshDueRound()
                // After a round, hand what it freed back to the system: about 1 MB less RSS after a 1 000-feed round.
                if !round.results.isEmpty { AllocatorTrim.releaseFreeMemory() }
                failedRounds = round.databaseFailed ? failedRounds + 1 : 0
                try? await Task.sleep(for: Self.pause(after: failedRounds, poll: pollInterval))
            }
        }
    }
}

import Foundation
import Synchronization

/// Until when GitHub asked this app to wait, shared by every copy of a `GitHubClient`: background work
/// (membership re-checks, the listed-login refresh) reads it and stays quiet until then, because GitHub may
/// ban an integration that keeps calling while limited.
public final class RateLimitHold: Sendable {
    private let until = Mutex<Date?>(nil)

    public init() {}

    /// Remembers the latest time GitHub named; an earlier one never shortens a wait already asked for.
    func note(_ limit: RateLimit) {
        until.withLock { until in
            if until.map({ $0 < limit.until }) ?? true { until = limit.until }
        }
    }

    /// The time to wait for, while it is still ahead of `now`.
    public func activeUntil(now: Date) -> Date? {
        until.withLock { until in
            guard let held = until, now < held else { return nil }
            return held
        }
    }
}

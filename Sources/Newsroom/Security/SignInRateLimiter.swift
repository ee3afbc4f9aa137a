import Foundation
import Synchronization

/// Token buckets per client, for the unauthenticated sign-in routes: each `/login` writes a row, and each
/// callback may cost GitHub calls, so one client cannot make either cost unbounded.
/// A bucket holds `burst` tokens and refills `refillPerSecond`; a request spends one. Buckets are kept for at
/// most `maxClients` clients (the least recently seen go first), so many addresses cannot grow memory either.
public final class SignInRateLimiter: Sendable {
    public struct Limits: Sendable, Equatable {
        /// Requests a client can make at once.
        public var burst: Double
        /// Sustained requests per second once the burst is spent.
        public var refillPerSecond: Double
        public var maxClients: Int

        /// 30 at once, then one every 2 s: a person retrying a sign-in never meets it; a script does at once.
        public static let `default` = Limits(burst: 30, refillPerSecond: 0.5, maxClients: 10_000)

        public init(burst: Double, refillPerSecond: Double, maxClients: Int) {
            (self.burst, self.refillPerSecond, self.maxClients) = (burst, refillPerSecond, maxClients)
        }
    }

    public enum Decision: Sendable, Equatable {
        case allowed
        /// Whole seconds until one token is back (at least 1), for `Retry-After`.
        case limited(retryAfter: Int)
    }

    private struct Bucket { var tokens: Double; var updatedAt: Date }
    private let buckets = Mutex<[String: Bucket]>([:])
    public let limits: Limits

    public init(limits: Limits = .default) { self.limits = limits }

    public func spend(client: String, now: Date) -> Decision {
        buckets.withLock { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: limits.burst, updatedAt: now)
            // A clock that went back refills nothing.
            let elapsed = max(0, now.timeIntervalSince(bucket.updatedAt))
            bucket.tokens = min(limits.burst, bucket.tokens + elapsed * limits.refillPerSecond)
            bucket.updatedAt = max(bucket.updatedAt, now)
            guard bucket.tokens >= 1 else {
                buckets[client] = bucket
                let wait = (1 - bucket.tokens) / limits.refillPerSecond
                return .limited(retryAfter: max(1, Int(wait.rounded(.up))))
            }
            bucket.tokens -= 1
            if buckets[client] == nil && buckets.count >= limits.maxClients { evictStalest(&buckets) }
            buckets[client] = bucket
            return .allowed
        }
    }

    /// How many clients have a bucket (for tests of the bound).
    var clientCount: Int { buckets.withLock { $0.count } }

    /// Drops the least recently seen half: one O(n log n) pass every `maxClients / 2` new clients, instead of
    /// bookkeeping on every request.
    private func evictStalest(_ buckets: inout [String: Bucket]) {
        let keep = buckets.sorted { $0.value.updatedAt > $1.value.updatedAt }.prefix(limits.maxClients / 2)
        buckets = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }
}

import Foundation
import Curl
import GitHub

/// The effects the app reaches for, passed in so tests can swap them (STYLE: effects as small values).
public struct AppDependencies: Sendable {
    /// Wall-clock time; tests move it to exercise timeouts and schedules.
    public var now: @Sendable () -> Date
    /// A number in [0, 1) for backoff jitter.
    public var jitter: @Sendable () -> Double
    /// Random bytes for session ids, states and CSRF tokens (a CSPRNG live).
    public var randomBytes: @Sendable (Int) -> [UInt8]
    public var http: CurlTransport
    /// Lets feeds connect to loopback, private, link-local and other non-public addresses, redirects included
    /// (`NEWSROOM_ALLOW_PRIVATE_FEEDS=1`). Off, a feed reaches such an address only on its own configured host.
    public var allowPrivateFeedAddresses: Bool
    /// How long a publication this instance claimed stays its own to fetch (`NEWSROOM_FETCH_LEASE`, seconds): another
    /// instance takes it this long after its claimer died. Longer than a fetch can take (curl gives up after 30 s).
    public var fetchLease: TimeInterval

    public static let defaultFetchLease: TimeInterval = 75
    public static let fetchLeaseVariable = "NEWSROOM_FETCH_LEASE"
    static let allowedFetchLease = 35...3600

    public init(now: @escaping @Sendable () -> Date, jitter: @escaping @Sendable () -> Double,
                randomBytes: @escaping @Sendable (Int) -> [UInt8], http: @escaping CurlTransport,
                allowPrivateFeedAddresses: Bool = false, fetchLease: TimeInterval = AppDependencies.defaultFetchLease) {
        self.fetchLease = fetchLease
        self.now = now
        self.jitter = jitter
        self.randomBytes = randomBytes
        self.http = http
        self.allowPrivateFeedAddresses = allowPrivateFeedAddresses
    }

    /// Real clock, system CSPRNG, and a libcurl client; settings that shape these effects come from `environment`.
    public static func live(client: CurlClient, environment: [String: String]) throws(ConfigError) -> AppDependencies {
        AppDependencies(
            now: { Date() },
            jitter: { Double.random(in: 0..<1) },
            randomBytes: SystemRandom.bytes,
            http: { request throws(CurlError) in try await client.send(request) },
            allowPrivateFeedAddresses: try allowsPrivateFeedAddresses(environment: environment),
            fetchLease: try fetchLease(environment: environment))
    }

    /// `NEWSROOM_FETCH_LEASE`: whole seconds within `allowedFetchLease`, else refused.
    static func fetchLease(environment: [String: String]) throws(ConfigError) -> TimeInterval {
        guard let raw = environment[fetchLeaseVariable]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return defaultFetchLease }
        guard let seconds = Int(raw), allowedFetchLease.contains(seconds) else {
            throw .notInRange(setting: fetchLeaseVariable, value: raw, allowed: allowedFetchLease, unit: "seconds")
        }
        return TimeInterval(seconds)
    }

    public static let allowPrivateFeedsVariable = "NEWSROOM_ALLOW_PRIVATE_FEEDS"

    /// `NEWSROOM_ALLOW_PRIVATE_FEEDS`: 1/true lifts the guard, 0/false or unset keeps it. Anything else is refused
    /// rather than guessed at, since a typo must not quietly open the internal network to feeds.
    static func allowsPrivateFeedAddresses(environment: [String: String]) throws(ConfigError) -> Bool {
        let raw = environment[allowPrivateFeedsVariable] ?? ""
        switch raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
        case "", "0", "false": return false
        case "1", "true": return true
        default: throw .notAFlag(variable: allowPrivateFeedsVariable, value: raw)
        }
    }
}

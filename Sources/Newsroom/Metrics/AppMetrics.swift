import Foundation
import Prometheus
import Curl

/// The app's own counters, in a registry of its own (never the process-wide `MetricsSystem`), so every app a test
/// process builds counts only what it did. Labels hold publication ids (slugs from feeds.json), fixed outcome words
/// and reason codes: never a login, a URL or anything a visitor typed.
///
/// Gauges that come from the database (articles, sessions, a feed's last success and failure streak) are not kept
/// here: `DatabaseGauges` reads them when scraped, so they are never stale and every instance reports the same truth.
/// The page cache counts its own lookups (`PageCacheLookups`), read when scraped too.
public final class AppMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let fetchDuration: DurationHistogram

    /// Fetch durations span a fast 304 on loopback to a slow publisher near the transfer timeout.
    static let fetchDurationBuckets: [Duration] = [.milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                                   .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60)]

    public init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        fetchDuration = registry.makeDurationHistogram(name: Name.feedFetchDuration, buckets: Self.fetchDurationBuckets,
                                                       help: "Time to fetch, parse and store one feed.")
        // Admissions exist from the start, so a rate over them is 0 rather than absent before the first sign-in.
        _ = signIns(outcome: "admitted", reason: SignInReason.orgMember)
    }

    /// The metric names, exactly as the issue and the alert rules (deploy/prometheus/newsroom-rules.yml) spell them.
    public enum Name {
        public static let feedFetches = "newsroom_feed_fetches_total"
        public static let feedFetchDuration = "newsroom_feed_fetch_duration_seconds"
        public static let feedLastSuccess = "newsroom_feed_last_success_timestamp_seconds"
        public static let feedConsecutiveFailures = "newsroom_feed_consecutive_failures"
        public static let articles = "newsroom_articles"
        public static let signIns = "newsroom_sign_ins_total"
        public static let sessionsActive = "newsroom_sessions_active"
        public static let pageCacheHits = "newsroom_page_cache_hits_total"
        public static let pageCacheMisses = "newsroom_page_cache_misses_total"
    }

    /// One refresh of one feed: its outcome by publication, and how long it took. A refresh cut short by shutdown
    /// is nobody's failure and is not counted.
    public func record(_ result: RefreshResult) {
        let outcome: String
        switch result.status {
        case .updated: outcome = "updated"
        case .notModified: outcome = "not_modified"
        case .failed(let message):
            if message == String(describing: CurlError.cancelled) { return }
            outcome = "failed"
        }
        registry.makeCounter(name: Name.feedFetches, labels: [("publication", result.publicationID), ("outcome", outcome)],
                             help: "Feed fetches by publication and outcome (updated, not_modified, failed).").increment()
        fetchDuration.record(.milliseconds(Int64((max(0, result.seconds) * 1000).rounded())))
    }

    /// A sign-in the gate admitted; `rule` is the gate's wording ("member of acme"), reduced to its kind.
    public func signInAdmitted(rule: String) {
        signIns(outcome: "admitted", reason: SignInReason.admission(rule: rule)).increment()
    }

    /// A sign-in turned away, by `DenialReason.code` (a fixed word, never the login).
    public func signInDenied(_ reason: DenialReason) {
        signIns(outcome: "denied", reason: reason.code).increment()
    }

    private func signIns(outcome: String, reason: String) -> Counter {
        registry.makeCounter(name: Name.signIns, labels: [("outcome", outcome), ("reason", reason)],
                             help: "Completed sign-in callbacks by outcome (admitted, denied) and reason code.")
    }
}

/// The `reason` label of an admitted sign-in: which kind of gate rule let the person in. The rule's own wording
/// names an org, a team or a login; only its kind goes into a label.
enum SignInReason {
    static let orgMember = "org-member"
    static let teamMember = "team-member"
    static let listedUser = "listed-user"
    static let anyUser = "any-user"

    /// Follows `Gate`'s wording: "member of ORG", "member of ORG/TEAM", "listed user LOGIN", "any GitHub user".
    static func admission(rule: String) -> String {
        if rule.hasPrefix("listed user") { return listedUser }
        if rule.hasPrefix("any ") { return anyUser }
        if rule.hasPrefix("member of ") { return rule.contains("/") ? teamMember : orgMember }
        return "other"
    }
}

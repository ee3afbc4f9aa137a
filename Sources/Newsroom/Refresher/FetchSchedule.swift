import Foundation
import Feeds

/// When to fetch a feed next: politely after success, with capped exponential backoff after failure.
public enum FetchSchedule {
    public static let maxInterval: TimeInterval = 24 * 3600
    public static let firstBackoff: TimeInterval = 60
    public static let maxBackoff: TimeInterval = 6 * 3600

    /// The largest of the publication's interval, the feed's `<ttl>`, `Cache-Control: max-age`, `Expires` and
    /// `Retry-After`, capped at 24 h.
    public static func nextDue(after now: Date, refreshMinutes: Int, ttlMinutes: Int?, header: (String) -> String?) -> Date {
        var wait = TimeInterval(refreshMinutes) * 60
        if let ttl = ttlMinutes, ttl > 0 { wait = max(wait, TimeInterval(ttl) * 60) }
        if let maxAge = maxAge(header("Cache-Control")) { wait = max(wait, maxAge) }
        if let expires = header("Expires").flatMap(FeedDate.parse) { wait = max(wait, expires.timeIntervalSince(now)) }
        if let retry = retryAfter(header("Retry-After"), now: now) { wait = max(wait, retry) }
        return now.addingTimeInterval(min(wait, maxInterval))
    }

    /// Backoff after the `failures`-th consecutive failure: 1 min doubling to 6 h, scaled by jitter in [0.5, 1.0]
    /// so feeds that failed together spread out, and never sooner than the server's Retry-After.
    public static func backoff(after now: Date, failures: Int, jitter: Double, retryAfterHeader: String?) -> Date {
        let exponent = Double(max(0, min(failures - 1, 20)))
        let base = min(maxBackoff, firstBackoff * pow(2, exponent))
        // NaN would survive min/max and store a NaN due time; treat it as the middle.
        let spread = jitter.isNaN ? 0.5 : min(max(jitter, 0), 1)
        var wait = base * (0.5 + 0.5 * spread)
        wait = max(wait, firstBackoff / 2)
        if let retry = retryAfter(retryAfterHeader, now: now) { wait = max(wait, min(retry, maxInterval)) }
        return now.addingTimeInterval(wait)
    }

    static func maxAge(_ cacheControl: String?) -> TimeInterval? {
        guard let cacheControl else { return nil }
        for directive in cacheControl.split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0].lowercased() == "max-age", let n = Int(parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))), n >= 0 {
                return TimeInterval(n)
            }
        }
        return nil
    }

    /// Retry-After is either delta-seconds or an HTTP date (RFC 1123, which the feed date parser reads).
    static func retryAfter(_ value: String?, now: Date) -> TimeInterval? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let n = Int(value) { return n >= 0 ? TimeInterval(n) : nil }
        return FeedDate.parse(value).map { max(0, $0.timeIntervalSince(now)) }
    }
}

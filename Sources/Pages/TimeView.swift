import Foundation

/// A moment as pages show it: `<time datetime="iso" title="exact">relative</time>`.
public struct TimeView: Sendable, Equatable {
    /// "12 minutes ago", "in 5 minutes", "yesterday".
    public let relative: String
    /// "2026-11-25 09:40 UTC" (shown on hover).
    public let exact: String
    /// "2026-11-25T09:40:00Z" (machine-readable `datetime`).
    public let iso: String

    public init(date: Date, now: Date) {
        self.relative = RelativeTime.describe(date, relativeTo: now)
        self.exact = ExactTime.style.format(date)
        self.iso = date.formatted(.iso8601)
    }
}

/// Says how far a date is from now in words a reader takes in at a glance.
public enum RelativeTime {
    /// "just now" within 45 seconds either way; then minutes, hours, "yesterday"/"tomorrow",
    /// days, months (30 days) and years (365 days), always rounded down.
    public static func describe(_ date: Date, relativeTo now: Date) -> String {
        let seconds = date.timeIntervalSince(now)
        let isFuture = seconds > 0
        let elapsed = Int(abs(seconds).rounded(.down))
        if elapsed < 45 { return "just now" }

        let minute = 60, hour = 3600, day = 86_400
        let amount: String
        switch elapsed {
        case ..<hour: amount = counted(max(1, elapsed / minute), "minute")
        case ..<day: amount = counted(elapsed / hour, "hour")
        case ..<(2 * day): return isFuture ? "tomorrow" : "yesterday"
        case ..<(30 * day): amount = counted(elapsed / day, "day")
        case ..<(365 * day): amount = counted(elapsed / (30 * day), "month")
        default: amount = counted(elapsed / (365 * day), "year")
        }
        return isFuture ? "in \(amount)" : "\(amount) ago"
    }

    private static func counted(_ count: Int, _ unit: String) -> String {
        count == 1 ? "1 \(unit)" : "\(count) \(unit)s"
    }
}

/// "2026-11-25 09:40 UTC": fixed fields in UTC, whatever the server's locale or time zone.
enum ExactTime {
    static let style = Date.VerbatimFormatStyle(
        format: "\(year: .padded(4))-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits) UTC",
        timeZone: .gmt, calendar: Calendar(identifier: .gregorian))
}

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
        let utc = UTCDateParts(date)
        self.exact = utc.exact
        self.iso = utc.iso
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

/// Gregorian UTC calendar fields, computed directly so formatting needs no locale or formatter.
struct UTCDateParts {
    let year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    init(_ date: Date) {
        let total = Int(date.timeIntervalSince1970.rounded(.down))
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secondsOfDay = total - days * 86_400
        hour = secondsOfDay / 3600
        minute = secondsOfDay % 3600 / 60
        second = secondsOfDay % 60
        // Howard Hinnant's civil_from_days: proleptic Gregorian from days since 1970-01-01.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    var exact: String { "\(pad(year, 4))-\(pad(month))-\(pad(day)) \(pad(hour)):\(pad(minute)) UTC" }
    var iso: String { "\(pad(year, 4))-\(pad(month))-\(pad(day))T\(pad(hour)):\(pad(minute)):\(pad(second))Z" }

    private func pad(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

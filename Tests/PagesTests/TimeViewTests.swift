import Foundation
import Testing
@testable import Pages

@Suite struct RelativeTimeTests {
    static let table: [(offsetSeconds: Double, expected: String)] = [
        (0, "just now"),
        (-44, "just now"),
        (44, "just now"),
        (-45, "1 minute ago"),
        (-90, "1 minute ago"),
        (-120, "2 minutes ago"),
        (-12 * 60, "12 minutes ago"),
        (-59 * 60 - 59, "59 minutes ago"),
        (-3600, "1 hour ago"),
        (-2 * 3600 - 1, "2 hours ago"),
        (-23 * 3600 - 3599, "23 hours ago"),
        (-86_400, "yesterday"),
        (-2 * 86_400 + 1, "yesterday"),
        (-2 * 86_400, "2 days ago"),
        (-29 * 86_400, "29 days ago"),
        (-30 * 86_400, "1 month ago"),
        (-200 * 86_400, "6 months ago"),
        (-365 * 86_400, "1 year ago"),
        (-3 * 365 * 86_400, "3 years ago"),
        (5 * 60, "in 5 minutes"),
        (60, "in 1 minute"),
        (3 * 3600, "in 3 hours"),
        (86_400 + 60, "tomorrow"),
        (6 * 86_400, "in 6 days"),
    ]

    @Test(arguments: table)
    func describesOffsetFromNow(offsetSeconds: Double, expected: String) {
        let date = Fixtures.now.addingTimeInterval(offsetSeconds)
        #expect(RelativeTime.describe(date, relativeTo: Fixtures.now) == expected)
    }

    @Test func fractionalSecondsRoundDown() {
        let date = Fixtures.now.addingTimeInterval(-119.9)
        #expect(RelativeTime.describe(date, relativeTo: Fixtures.now) == "1 minute ago")
    }
}

@Suite struct TimeViewTests {
    @Test func formatsExactAndISOInUTC() {
        let view = TimeView(date: Fixtures.now.addingTimeInterval(-12 * 60), now: Fixtures.now)
        #expect(view.relative == "12 minutes ago")
        #expect(view.exact == "2026-11-25 09:28 UTC")
        #expect(view.iso == "2026-11-25T09:28:00Z")
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),       // leap day in a year divisible by 400
        (1_709_251_199, "2024-02-29T23:59:59Z"),
        (1_798_761_599, "2026-12-31T23:59:59Z"),
        (-1, "1969-12-31T23:59:59Z"),                // before the epoch
        (-2_208_988_800, "1900-01-01T00:00:00Z"),    // 1900 is not a leap year
        (1_795_599_600.75, "2026-11-25T09:40:00Z"),  // fractions drop, never round up
    ])
    func isoMatchesCalendar(seconds: Double, expected: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(TimeView(date: date, now: date).iso == expected)
    }

    @Test func isoAgreesWithFoundationFormatterOverManyDates() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var seconds = -4_000_000_000
        while seconds < 4_000_000_000 {
            let date = Date(timeIntervalSince1970: Double(seconds))
            #expect(TimeView(date: date, now: date).iso == formatter.string(from: date))
            seconds += 7_777_777
        }
    }
}

import Foundation
import Testing
@testable import Feeds

@Suite struct FeedDateTests {
    /// 2002-10-02T13:00:00Z
    static let base: Double = 1_033_563_600

    static let parsed: [(String, Double)] = [
        // RFC 822 / 1123 with every obsolete zone.
        ("Wed, 02 Oct 2002 13:00:00 GMT", base),
        ("Wed, 02 Oct 2002 13:00:00 UT", base),
        ("Wed, 02 Oct 2002 13:00:00 UTC", base),
        ("Wed, 02 Oct 2002 13:00:00 Z", base),
        ("Wed, 02 Oct 2002 08:00:00 EST", base),
        ("Wed, 02 Oct 2002 09:00:00 EDT", base),
        ("Wed, 02 Oct 2002 07:00:00 CST", base),
        ("Wed, 02 Oct 2002 08:00:00 CDT", base),
        ("Wed, 02 Oct 2002 06:00:00 MST", base),
        ("Wed, 02 Oct 2002 07:00:00 MDT", base),
        ("Wed, 02 Oct 2002 05:00:00 PST", base),
        ("Wed, 02 Oct 2002 06:00:00 PDT", base),
        // Military letters as RFC 822 defines them (A = -1h, M = -12h, N = +1h, Y = +12h).
        ("Wed, 02 Oct 2002 12:00:00 A", base),
        ("Wed, 02 Oct 2002 01:00:00 M", base),
        ("Wed, 02 Oct 2002 14:00:00 N", base),
        ("Thu, 03 Oct 2002 01:00:00 Y", base),
        // Numeric offsets.
        ("Wed, 02 Oct 2002 15:00:00 +0200", base),
        ("Wed, 02 Oct 2002 08:30:00 -0430", base),
        ("Wed, 02 Oct 2002 15:00:00 +02:00", base),
        ("Wed, 02 Oct 2002 13:00:00 +0000", base),
        ("Wed, 02 Oct 2002 15:00:00 GMT+0200", base),
        // Lenient real-world forms.
        ("02 Oct 2002 13:00:00 GMT", base),
        ("Wed,02 Oct 2002 13:00:00 GMT", base),
        ("Wed 02 Oct 2002 13:00:00 GMT", base),
        ("Wed, 2 Oct 2002 13:00:00 GMT", base),
        ("Wed, 02 Oct 02 13:00:00 GMT", base),
        ("Wednesday, 02 October 2002 13:00:00 GMT", base),
        ("Wed, 02 Oct 2002 13:00 GMT", base),
        ("Wed, 02 Oct 2002 13:00:00", base),
        ("  Wed, 02 Oct 2002 08:00:00 EST (Eastern Standard Time)  ", base),
        ("October 2, 2002 13:00:00 GMT", base),
        ("Wed, 02-Oct-2002 13:00:00 GMT", base),
        ("Tue, 01 Jun 99 00:00:00 GMT", 928_195_200),
        ("Thu, 29 Feb 2024 23:59:59 +0000", 1_709_251_199),
        ("Wed, 02 Oct 2002", 1_033_516_800),
        // HTTP's other two date forms (RFC 850 and asctime), for Expires and Last-Modified headers.
        ("Wednesday, 02-Oct-02 13:00:00 GMT", base),
        ("Wed Oct  2 13:00:00 2002", base),
        // RFC 3339 / W3CDTF.
        ("2002-10-02T13:00:00Z", base),
        ("2002-10-02T13:00:00.123Z", base + 0.123),
        ("2002-10-02T15:00:00+02:00", base),
        ("2002-10-02T08:00:00-05:00", base),
        ("2002-10-02T13:00:00+0000", base),
        ("2002-10-02T13:00Z", base),
        ("2002-10-02 13:00:00Z", base),
        ("2002-10-02t13:00:00z", base),
        ("2002-10-02T13:00:00", base),
        ("2002-10-02", 1_033_516_800),
        ("2002-10", 1_033_430_400),
        ("2002", 1_009_843_200),
        ("20021002", 1_033_516_800),
    ]

    @Test(arguments: parsed)
    func parses(_ input: String, _ expected: Double) {
        #expect(epoch(FeedDate.parse(input)) == expected)
    }

    @Test(arguments: [
        "", "   ", "not a date", "tomorrow", "13:00:00",
        "Wed, 32 Oct 2002 13:00:00 GMT", "Wed, 02 Foo 2002 13:00:00 GMT", "Wed, 02 Oct 2002 25:00:00 GMT",
        "Wed, 02 Oct 2002 13:61:00 GMT", "Wed, 02 Oct 2002 13:00:00 XYZ", "Wed, 02 Oct 2002 13:00:00 GMT junk",
        "Thu, 29 Feb 2023 00:00:00 GMT", "02 Oct 202 13:00 GMT", "Wed, Oct 2002",
        "2002-13-01", "2002-02-30", "2002-10-02T13", "2002-10-02T13:00:00+25:00", "2002-10-02T13:00:00Zjunk",
        "2002-1-2", "20021",
    ])
    func refuses(_ input: String) {
        #expect(FeedDate.parse(input) == nil)
    }
}

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
        // Forms feedparser's date handlers accept (values as feedparser gives them).
        ("2003-335", 1_070_236_800),  // ISO 8601 ordinal day
        ("2003335", 1_070_236_800),
        ("031231", 1_072_828_800),  // two-digit year, basic
        ("03-12-31", 1_072_828_800),
        ("-03-12", 1_070_236_800),
        ("2003-12-31T10Z", 1_072_864_800),
        ("2002-10-02T13", base),
        ("2003-12-31T24:00:00Z", 1_072_915_200),
        ("2004-07-13T9:15-05:00", 1_089_728_100),
        ("2003-12-31T10:14:55-0800", 1_072_894_495),
        ("2003-12-31T10:14:55.5+01", 1_072_862_095.5),
        ("2001-01-01 T12:00Z", 978_350_400),
        ("Sun Jan  4 16:29:06 PST 2004", 1_073_262_546),  // asctime with a zone
        ("Sun Jan  4 16:29:06 +0100 2004", 1_073_230_146),
        ("Mon Jan 01 2001 12:00:00 GMT+0000 (UTC)", 978_350_400),  // JavaScript's Date.toString
        ("Fri, 2006/09/15 08:19:53 EDT", 1_158_322_793),  // Perforce
        ("Τετ, 07 Ιαν 2004 12:00:00 EST", 1_073_494_800),  // Greek
        ("Κυρ, 11 Ιούλ 2004 12:00:00 EST", 1_089_565_200),
        ("Thu., 01 Jan. 2004 19:48:21 GMT", 1_072_986_501),
        ("Thu, 01 Jan 2004 19:48:21 GMT.", 1_072_986_501),
        ("Mon, 01 Jan 2001 12:0:00 GMT", 978_350_400),
        ("Mon, 1 Jan 1 12:00:00 GMT", 978_350_400),
        // Where feedparser 6 reads these forms wrongly (time dropped, month lost), the right instant is given.
        ("2004-05-25 오후 11:23:17", 1_085_494_997),  // Nate, Korea Standard Time
        ("2004-05-25 오전 12:23:17", 1_085_412_197),
        ("2004년 05월 28일 01:31:15", 1_085_675_475),  // OnBlog
        ("2004-július-13T9:15-05:00", 1_089_728_100),  // Hungarian month name
        ("20031231T101455Z", 1_072_865_695),  // ISO 8601 basic date and time
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
        "2002-13-01", "2002-02-30", "2002-10-02T13:00:00+25:00", "2002-10-02T13:00:00Zjunk",
        "2002-1-2", "20021",
        // feedparser refuses a leap second; out-of-range days and months are refused rather than rolled over.
        "Thu, 01 Jan 2004 19:48:60 GMT", "2004-02-30", "2004-13-01", "2003-366", "2003-000", "2003-W01", "--12-31",
        "2004-05-25 오후 13:23:17", "2004년 05월 28일", "2003-12-31T24:30:00Z",
    ])
    func refuses(_ input: String) {
        #expect(FeedDate.parse(input) == nil)
    }
}

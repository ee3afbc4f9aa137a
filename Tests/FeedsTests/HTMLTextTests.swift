import Testing
@testable import Feeds

@Suite struct HTMLTextTests {
    static let cases: [(String, String)] = [
        ("<p>Hello <b>world</b></p>", "Hello world"),
        ("  lots   of\n\n white\tspace  ", "lots of white space"),
        ("Tom &amp; Jerry &lt;3 &quot;cheese&quot; &apos;yes&apos;", "Tom & Jerry <3 \"cheese\" 'yes'"),
        ("caf&eacute; &mdash; na&iuml;ve &hellip; &euro;5 &copy;", "café — naïve … €5 ©"),
        ("&#233;&#x00E9;&#X1F600;", "éé😀"),
        ("a&nbsp;&nbsp;b\u{A0}c", "a b c"),
        ("<script>alert('x < y')</script>Text<style>p { color: red }</style> after", "Text after"),
        ("<SCRIPT type=\"text/javascript\">var a = '</p>';</SCRIPT>Shown", "Shown"),
        ("One<br>Two<br/>Three<p>Four</p>Five", "One Two Three Four Five"),
        ("<a href=\"x?a=1&b=>2\" title='q > r'>link</a>", "link"),
        ("before<!-- a <b>comment</b> -->after", "beforeafter"),
        ("5 < 6 and 7 > 3", "5 < 6 and 7 > 3"),
        ("AT&T and &unknown; and & alone", "AT&T and &unknown; and & alone"),
        ("<li>one</li><li>two</li>", "one two"),
        ("<img src=\"a.jpg\" alt=\"pic\">Caption", "Caption"),
        // A tag that never closes is text (feedparser's sanitizer keeps it too).
        ("unclosed <b tag", "unclosed <b tag"),
        ("a <word b", "a <word b"),
        ("x <a href=\"y>z\" never", "x <a href=\"y>z\" never"),
        ("&#0; &#xD800; null", "\u{FFFD} \u{FFFD} null"),
        ("", ""),
    ]

    @Test(arguments: cases)
    func plainText(_ html: String, _ expected: String) {
        #expect(HTMLText.plainText(html) == expected)
    }

    /// The stored title is `HTMLText.plainText` of the parsed one (FeedRefresher.article): a plain RSS title with a
    /// `<` that starts no real tag keeps it, as feedparser's value does.
    @Test func storedPlainTitleKeepsAnUnclosedAngleBracket() throws {
        let feed = try FeedParser.parse(Array("""
        <rss version="2.0"><channel><title>t</title><item><title>a &lt;word b</title></item><item><title>x &lt;y</title></item></channel></rss>
        """.utf8))
        #expect(feed.entries.map(\.title) == ["a <word b", "x <y"])
        #expect(feed.entries.compactMap(\.title).map(HTMLText.plainText) == ["a <word b", "x <y"])
    }
}

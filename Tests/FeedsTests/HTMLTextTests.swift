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
        ("unclosed <b tag", "unclosed"),
        ("&#0; &#xD800; null", "\u{FFFD} \u{FFFD} null"),
        ("", ""),
    ]

    @Test(arguments: cases)
    func plainText(_ html: String, _ expected: String) {
        #expect(HTMLText.plainText(html) == expected)
    }
}

import Foundation
import Testing
@testable import Feeds

/// Small feeds, one behaviour each (namespaces, text constructs, module elements, summary/content order, authors),
/// and the values Python's feedparser 6.0 gives for them, written out here (run on the same files with
/// `http://example.org/feed.xml` as the base) so the tests need no Python.
@Suite struct FeedparserAgreementTests {
    static let expected: [(String, [String: String])] = [
        ("atom-author-precedence.xml", [
            "feed.title": "t",
            "bozo": "false",
            "entries": "4",
            "e0.title": "x",
            "e1.author": "Second",
            "e3.author": "bare text",
        ]),
        ("atom-authors.xml", [
            "feed.title": "t",
            "bozo": "false",
            "entries": "2",
            "e0.title": "i",
            "e0.summary": "Tom & Jerry",
            "e0.author": "A (a@x)",
            "e1.title": "i2",
            "e1.author": "C (c@x)",
        ]),
        ("atom-summary-content-order.xml", [
            "feed.title": "t",
            "bozo": "false",
            "entries": "3",
            "e0.summary": "S",
            "e0.content": "C",
            "e1.summary": "S",
            "e1.content": "C",
            "e2.summary": "<p>1</p>",
            "e2.content": "<p>1</p>",
        ]),
        ("atom-text-types.xml", [
            "feed.title": "A <b>b</b>",
            "feed.subtitle": "x < y",
            "bozo": "false",
            "entries": "3",
            "e0.title": "1 < 2 &amp;",
            "e0.summary": "<b>x</b>",
            "e0.content": "a<b",
            "e1.title": "<i>i</i>",
            "e1.summary": "<i>x</i>",
            "e1.content": "<i>x</i>",
            "e2.summary": "<p>pre</p>",
            "e2.content": "Hi <br />there &lt;&amp;",
        ]),
        ("atom-textconstructs.xml", [
            "feed.title": "Text <with> & marks",
            "feed.link": "http://example.org/base/home",
            "feed.subtitle": "<p>Sub <a href=\"http://example.org/base/rel/x\">link</a></p>",
            "feed.updated": "2005-07-31T12:29:29Z",
            "bozo": "false",
            "entries": "5",
            "e0.title": "An <b>XHTML</b> &amp; title",
            "e0.link": "http://example.org/base/entries/one.html",
            "e0.id": "urn:id:1",
            "e0.published": "2003-12-13T12:29:29Z",
            "e0.updated": "2006-01-01T00:00:00Z",
            "e0.summary": "Plain <b> not bold & stuff",
            "e0.content": "<p style=\"color: red;\">Hello <a href=\"http://example.org/base/img/x.html\">rel</a> <img alt=\"p\" src=\"http://example.org/base/entries/pic.png\" /> <a href=\"\">js</a></p>",
            "e0.author": "Mark (mark@example.org)",
            "e0.categories": "t1|t2",
            "e1.title": "<em>Em</em> title &amp; more",
            "e1.link": "http://example.org/base/two.html",
            "e1.id": "urn:2",
            "e1.updated": "2005-07-30T09:00:00Z",
            "e1.summary": "<p>Content <a href=\"http://example.org/abs\">x</a></p>",
            "e1.content": "<p>Content <a href=\"http://example.org/abs\">x</a></p>",
            "e1.author": "No Email",
            "e2.title": "Plain",
            "e2.link": "urn:3",
            "e2.id": "urn:3",
            "e2.updated": "2005-07-30T09:00:00Z",
            "e2.summary": "the summary",
            "e2.content": "just text & <stuff>",
            "e2.author": "only@example.org",
            "e3.title": "B64",
            "e3.link": "urn:4",
            "e3.id": "urn:4",
            "e3.summary": "<p>Hello</p>",
            "e3.content": "<p>Hello</p>",
            "e3.author": "A",
            "e4.title": "Link no href",
            "e4.link": "http://example.org/base/five.html",
            "e4.id": "urn:5",
        ]),
        ("ns-atom-foreign-elements.xml", [
            "feed.title": "t",
            "bozo": "false",
            "entries": "1",
            "e0.title": "i",
            "e0.updated": "2004-01-01T00:00:00Z",
            "e0.author": "DC",
            "e0.categories": "S",
        ]),
        ("ns-atom-prefix.xml", [
            "feed.title": "Prefixed Atom",
            "feed.link": "http://example.org/",
            "feed.updated": "2005-07-31T12:29:29Z",
            "bozo": "false",
            "entries": "1",
            "e0.title": "A &lt;b&gt;bold&lt;/b&gt; title",
            "e0.link": "http://example.org/e1",
            "e0.id": "urn:1",
            "e0.updated": "2005-07-31T12:29:29Z",
            "e0.summary": "1 < 2",
            "e0.author": "Mark (mark@example.org)",
        ]),
        ("ns-atom03-prefix.xml", [
            "feed.title": "Old",
            "feed.link": "http://example.org/",
            "feed.subtitle": "<b>tag</b>",
            "feed.updated": "2003-12-13T18:30:02Z",
            "bozo": "false",
            "entries": "1",
            "e0.title": "E",
            "e0.link": "http://example.org/e",
            "e0.id": "tag:1",
            "e0.published": "2003-12-13T12:29:29Z",
            "e0.updated": "2003-12-13T18:30:02Z",
            "e0.summary": "<p>sum </p>",
            "e0.content": "<p>Hello <b>world</b></p>",
            "e0.author": "Joe (joe@example.org)",
        ]),
        ("ns-netscape-rss090.xml", [
            "feed.title": "t",
            "bozo": "false",
            "entries": "1",
            "e0.title": "i",
            "e0.link": "http://x/",
        ]),
        ("ns-rdf-prefixes.xml", [
            "feed.title": "RDF pref",
            "feed.link": "http://example.org/",
            "feed.subtitle": "d",
            "bozo": "false",
            "entries": "1",
            "e0.title": "One",
            "e0.link": "http://example.org/1",
            "e0.id": "http://example.org/1",
            "e0.updated": "2004-02-01T00:00:00Z",
        ]),
        ("ns-rss-default.xml", [
            "feed.title": "Default NS RSS",
            "feed.link": "http://example.org/",
            "bozo": "false",
            "entries": "1",
            "e0.title": "Item",
            "e0.link": "http://example.org/1",
            "e0.updated": "2003-12-31T10:14:55Z",
            "e0.summary": "Desc",
            "e0.content": "<p>Hi</p>",
            "e0.author": "Jane",
            "e0.categories": "Sub",
        ]),
        ("ns-rss-unknown-default.xml", [
            "feed.title": "t",
            "bozo": "false",
            "entries": "1",
            "e0.title": "i",
        ]),
        ("ns-unknown-default-feed.xml", [
            "feed.title": "Weird",
            "bozo": "false",
            "entries": "1",
            "e0.title": "T",
        ]),
        ("ns-uri-case.xml", [
            "feed.title": "t",
            "bozo": "false",
            "entries": "5",
            "e0.author": "A",
            "e2.author": "IT",
            "e3.categories": "MC",
        ]),
        ("rss-author-precedence.xml", [
            "feed.title": "t",
            "bozo": "false",
            "entries": "8",
            "e0.author": "Joe",
            "e1.author": "joe@x.org",
            "e2.author": "joe@x.org (Joe)",
            "e3.author": "Joe <joe@x.org>",
            "e4.author": "B",
            "e5.author": "A",
        ]),
        ("rss-character-references.xml", [
            "bozo": "false",
            "entries": "2",
            "e0.summary": "It's &#233; &amp; &#8217;",
            "e1.summary": "<p>It's</p>",
        ]),
        ("rss-inline-markup-and-second-summary.xml", [
            "feed.title": "t",
            "bozo": "false",
            "entries": "1",
            "e0.title": "A <b>bold</b> &amp; x",
            "e0.summary": "d1",
            "e0.content": "s2",
        ]),
        ("rss-modules.xml", [
            "feed.title": "Mods &amp; more",
            "feed.link": "http://example.org/",
            "feed.subtitle": "Pod sub",
            "feed.updated": "2002-09-07T00:00:01Z",
            "bozo": "false",
            "entries": "5",
            "e0.title": "One",
            "e0.link": "http://example.org/1",
            "e0.updated": "2003-12-31T10:14:55Z",
            "e0.summary": "Short desc",
            "e0.content": "<p>Long <b>content</b> <a href=\"http://example.org/x\">x</a></p>",
            "e0.author": "Jane Doe",
            "e0.categories": "S1|C1",
            "e1.title": "Two",
            "e1.published": "2003-12-29T00:00:00Z",
            "e1.updated": "2003-12-29T00:00:00Z",
            "e1.summary": "DC desc",
            "e1.content": "Ep summary",
            "e1.author": "Ep Author",
            "e1.categories": "Comedy|MediaCat",
            "e2.title": "Three",
            "e2.updated": "2003-12-31T09:14:55Z",
            "e2.summary": "<p>XHTML <b>body</b></p>",
            "e2.content": "<p>XHTML <b>body</b></p>",
            "e2.author": "DC Author",
            "e3.published": "2003-12-31T15:14:55Z",
            "e3.updated": "2003-12-31T15:14:55Z",
            "e3.summary": "Only desc <i>html</i>",
            "e3.author": "joe@example.org",
            "e4.title": "AT&T < 5",
            "e4.link": "http://example.org/g5",
            "e4.id": "http://example.org/g5",
            "e4.summary": "only itunes summary",
        ]),
        ("rss-plain-vs-html.xml", [
            "feed.title": "Plain <3 love",
            "feed.subtitle": "a < b",
            "bozo": "false",
            "entries": "3",
            "e0.title": "x &amp; y",
            "e0.summary": "<p>para</p> &copy; 2 < 3",
            "e1.title": "<script>alert(1)</script>Hi",
            "e1.summary": "<img src=\"http://example.org/x.png\" /> text",
            "e2.title": "Tom & Jerry <tj@x.org>",
        ]),
        ("rss-summary-content-order.xml", [
            "feed.title": "t",
            "bozo": "false",
            "entries": "4",
            "e0.summary": "enc",
            "e0.content": "enc",
            "e1.summary": "d",
            "e1.content": "is",
            "e2.summary": "d",
            "e2.content": "enc",
            "e3.summary": "is",
            "e3.content": "d",
        ]),

    ]

    @Test(arguments: expected)
    func agreesWithFeedparser(_ file: String, _ values: [String: String]) throws {
        let feed = try FeedParser.parse(try TestFiles.fixture("feedparser/" + file), baseURL: "http://example.org/feed.xml")
        #expect(FeedparserView(feed).values == values)
    }

    @Test func unknownDefaultNamespaceRootIsReadNotRefused() throws {
        // Was refused with "root element is <feed> (expected <rss>, <rdf:RDF> or <feed>)".
        let feed = try parse(#"<feed xmlns="http://example.com/not-atom"><title>Weird</title><entry><title>T</title></entry></feed>"#)
        #expect(feed.title == "Weird")
        #expect(feed.entries.map(\.title) == ["T"])
    }

    @Test func prefixedRootInAnUnknownNamespaceNamesTheNamespace() {
        let xml = #"<x:feed xmlns:x="http://example.com/unknown"><x:title>t</x:title></x:feed>"#
        #expect(throws: FeedParseError.notAFeed(rootElement: "x:feed", namespace: "http://example.com/unknown")) { try parse(xml) }
        let message = FeedParseError.notAFeed(rootElement: "x:feed", namespace: "http://example.com/unknown").description
        #expect(message.contains("<x:feed> in the namespace http://example.com/unknown"))
        #expect(!message.contains("expected"))
    }

    @Test func foreignElementsWithAtomNamesAreIgnored() throws {
        let feed = try FeedParser.parse(try TestFiles.fixture("feedparser/ns-atom-foreign-elements.xml"))
        #expect(feed.title == "t")
        #expect(feed.entries.first?.title == "i")
        #expect(feed.entries.first?.summary == nil)
    }

    @Test func base64WithGarbageGivesNoContentRatherThanNoise() throws {
        let feed = try parse(#"<feed xmlns="http://purl.org/atom/ns#" version="0.3"><entry><content mode="base64" type="text/html">!!!not base64 at all***</content></entry></feed>"#)
        #expect(feed.entries.first?.content == "")
    }

    @Test func deeplyNestedXHTMLContentDoesNotCrash() throws {
        let depth = 3_000
        let xml = #"<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">"#
            + String(repeating: "<b>", count: depth) + "x" + String(repeating: "</b>", count: depth) + "</div></content></entry></feed>"
        let content = try #require(try parse(xml).entries.first?.content)
        #expect(content.hasPrefix("<b><b>"))
    }
}

/// A feed flattened the way the JSON output shows it: dates in UTC, `updated` falling back to `published`
/// (as feedparser's `updated` does), categories joined with `|`.
struct FeedparserView {
    var values: [String: String] = [:]

    init(_ feed: ParsedFeed) {
        set("feed.title", feed.title)
        set("feed.link", feed.link)
        set("feed.subtitle", feed.subtitle)
        set("feed.updated", feed.updated.map(FeedJSON.timestamp))
        values["bozo"] = String(feed.bozo)
        values["entries"] = String(feed.entries.count)
        for (index, entry) in feed.entries.enumerated() {
            let key = "e\(index)."
            set(key + "title", entry.title)
            set(key + "link", entry.link)
            set(key + "id", entry.id)
            set(key + "published", entry.published.map(FeedJSON.timestamp))
            set(key + "updated", (entry.updated ?? entry.published).map(FeedJSON.timestamp))
            set(key + "summary", entry.summary)
            set(key + "content", entry.content)
            set(key + "author", entry.author)
            set(key + "categories", entry.categories.isEmpty ? nil : entry.categories.joined(separator: "|"))
        }
    }

    private mutating func set(_ key: String, _ value: String?) { if let value { values[key] = value } }
}

/// feedparser's sanitizer on fragments given as Atom `type="html"` content under `xml:base="http://example.org/a/b/"`.
@Suite struct HTMLSanitizerTests {
    static let cases: [(String, String)] = [
        ("<p class=\"x\" id=\"y\" align=\"center\">P</p>", "<p align=\"center\" class=\"x\" id=\"y\">P</p>"),
        ("<img src=\"a.png\" alt=\"A\" width=\"10\" height=\"5\" border=\"0\" title=\"T\">", "<img alt=\"A\" border=\"0\" height=\"5\" src=\"http://example.org/a/b/a.png\" title=\"T\" width=\"10\" />"),
        ("<IMG SRC=\"a.png\" ALT=A>", "<img alt=\"A\" src=\"http://example.org/a/b/a.png\" />"),
        ("<br>x<br/>y<hr>", "<br />x<br />y<hr />"),
        ("<script>alert(1)</script>after", "after"),
        ("<style>p{}</style>after", "after"),
        ("<iframe src=\"http://e/\">in</iframe>after", "inafter"),
        ("<object data=\"x\"><param name=\"a\" value=\"b\"><embed src=\"y\">obj</object>after", "objafter"),
        ("<form action=\"/x\"><input type=\"text\" name=\"q\"><button>b</button></form>", "<form action=\"http://example.org/x\"><input name=\"q\" type=\"text\" /><button>b</button></form>"),
        ("<a href=\"javascript:alert(1)\">js</a> <a href=\"JaVaScRiPt:x\">js2</a> <a href=\" javascript:x\">js3</a>", "<a href=\"\">js</a> <a href=\"\">js2</a> <a href=\"\">js3</a>"),
        ("<a href=\"data:text/html,x\">d</a> <a href=\"mailto:a@b\">m</a> <a href=\"ftp://x/\">f</a> <a href=\"//cdn/x\">p</a> <a href=\"#frag\">h</a> <a href=\"?q=1\">q</a>", "<a href=\"\">d</a> <a href=\"mailto:a@b\">m</a> <a href=\"ftp://x/\">f</a> <a href=\"http://cdn/x\">p</a> <a href=\"http://example.org/a/b/#frag\">h</a> <a href=\"http://example.org/a/b/?q=1\">q</a>"),
        ("<a href=\"x\" onclick=\"y\" target=\"_blank\" rel=\"nofollow\">a</a>", "<a href=\"http://example.org/a/b/x\" rel=\"nofollow\" target=\"_blank\">a</a>"),
        ("<p style=\"color: red; background: url(javascript:x); font-weight: bold\">s</p>", "<p style=\"color: red; font-weight: bold;\">s</p>"),
        ("<p style=\"position:absolute\">s</p>", "<p>s</p>"),
        ("<span style=\"COLOR:Red;margin:0 auto\">s</span>", "<span style=\"COLOR: Red; margin: 0 auto;\">s</span>"),
        ("<!-- comment -->text", "<!-- comment -->text"),
        ("<unknown>u</unknown> <blink>b</blink> <font color=\"red\">f</font> <center>c</center>", "u b <font color=\"red\">f</font> <center>c</center>"),
        ("<b>unclosed <i>nested", "<b>unclosed <i>nested"),
        ("</b>stray close", "</b>stray close"),
        ("a < b > c & d", "a < b > c & d"),
        ("&amp; &lt; &gt; &quot; &copy; &#233; &#x263a; &nbsp; &bogus;", "&amp; &lt; &gt; &quot; &copy; &#233; &#x263a; &nbsp; &amp;bogus"),
        ("<div><table><tr><td colspan=\"2\">t</td></tr></table></div>", "<div><table><tr><td colspan=\"2\">t</td></tr></table></div>"),
        ("<video src=\"v.mp4\" controls poster=\"p.png\">v</video> <audio src=\"a.mp3\">a</audio>", "<video controls=\"controls\" poster=\"http://example.org/a/b/p.png\" src=\"http://example.org/a/b/v.mp4\">v</video> <audio src=\"http://example.org/a/b/a.mp3\">a</audio>"),
        ("<p title='single \"q\"' lang=en>q</p>", "<p lang=\"en\" title=\"single &quot;q&quot;\">q</p>"),
        ("<a href=\"http://example.com/a b\">space</a>", "<a href=\"http://example.com/a b\">space</a>"),
        ("<blockquote cite=\"c.html\">q</blockquote> <q cite=\"q.html\">q</q> <ins cite=\"i.html\" datetime=\"2003\">i</ins>", "<blockquote cite=\"http://example.org/a/b/c.html\">q</blockquote> <q cite=\"http://example.org/a/b/q.html\">q</q> <ins cite=\"http://example.org/a/b/i.html\" datetime=\"2003\">i</ins>"),
        ("<img src=\"x.png\" srcset=\"a.png 1x, b.png 2x\" longdesc=\"ld.html\" usemap=\"#m\">", "<img longdesc=\"http://example.org/a/b/ld.html\" src=\"http://example.org/a/b/x.png\" usemap=\"http://example.org/a/b/#m\" />"),
        ("<area href=\"area.html\"> <base href=\"http://evil/\"> <link href=\"l.css\" rel=\"stylesheet\"> <meta http-equiv=\"refresh\">", "<area href=\"http://example.org/a/b/area.html\" />"),
        ("<abbr title=\"t\">a</abbr><acronym>b</acronym><dfn>c</dfn><kbd>d</kbd><sub>e</sub><sup>f</sup><strike>g</strike><s>h</s><u>i</u><tt>j</tt><code>k</code><pre>l</pre><small>m</small><big>n</big><cite>o</cite><var>p</var><samp>q</samp><address>r</address>", "<abbr title=\"t\">a</abbr><acronym>b</acronym><dfn>c</dfn><kbd>d</kbd><sub>e</sub><sup>f</sup><strike>g</strike><s>h</s><u>i</u><tt>j</tt><code>k</code><pre>l</pre><small>m</small><big>n</big><cite>o</cite><var>p</var><samp>q</samp><address>r</address>"),
        ("<h1>h</h1><ul><li>l</li></ul><ol start=\"3\"><li>o</li></ol><dl><dt>t</dt><dd>d</dd></dl><figure><figcaption>c</figcaption></figure><article>a</article><section>s</section><nav>n</nav><header>h</header><footer>f</footer><aside>a</aside><main>m</main><mark>m</mark><time datetime=\"x\">t</time><details><summary>s</summary>d</details>", "<h1>h</h1><ul><li>l</li></ul><ol start=\"3\"><li>o</li></ol><dl><dt>t</dt><dd>d</dd></dl><figure><figcaption>c</figcaption></figure><article>a</article><section>s</section><nav>n</nav><header>h</header><footer>f</footer><aside>a</aside>mm<time datetime=\"x\">t</time><details>sd</details>"),
        ("<P>upper</P><Br>", "<p>upper</p><br />"),
        ("<a href=\"x\"", "<a href=\"x\""),
        ("<p>tail &amp; 1 < 2</p>", "<p>tail &amp; 1 < 2</p>"),
        ("<img src=x.png>", "<img src=\"http://example.org/a/b/x.png\" />"),
        ("<p>x</p><script>", "<p>x</p>"),
        ("<![CDATA[cdata]]>text", "text"),
        ("<?php echo 1 ?>pi", "pi"),
        ("<!DOCTYPE html>doc", "doc"),
        ("<p dir=\"rtl\" xml:lang=\"en\" abbr=\"a\" accesskey=\"k\" tabindex=\"1\" hidden>x</p>", "<p abbr=\"a\" accesskey=\"k\" dir=\"rtl\" hidden=\"hidden\" tabindex=\"1\" xml:lang=\"en\">x</p>"),
        ("<table border=\"1\" cellpadding=\"2\" summary=\"s\" bgcolor=\"red\"><caption>c</caption><thead><tr><th scope=\"col\" nowrap>h</th></tr></thead><tbody><tr><td valign=\"top\">d</td></tr></tbody><tfoot></tfoot></table>", "<table bgcolor=\"red\" border=\"1\" cellpadding=\"2\" summary=\"s\"><caption>c</caption><thead><tr><th nowrap=\"nowrap\" scope=\"col\">h</th></tr></thead><tbody><tr><td valign=\"top\">d</td></tr></tbody><tfoot></tfoot></table>"),
        ("<noscript>ns</noscript><applet>ap</applet><frameset><frame src=\"f\"></frameset><noframes>nf</noframes>", "<noscript>ns</noscript>nf"),
        ("<xmp>x</xmp><plaintext>pt", "xpt"),
        ("a &#39; b &#34; c &#38; d &#60; e &#62; f &#233; g &#x27; h &#160; i &#x263a; j &#8217; k", "a ' b \" c &#38; d &#60; e &#62; f &#233; g &#x27; h &#160; i &#x263a; j &#8217; k"),
        ("<p>It&#39;s &#8220;q&#8221; &amp; &lt;tag&gt; &#233;</p>", "<p>It's &#8220;q&#8221; &amp; &lt;tag&gt; &#233;</p>"),

    ]

    @Test(arguments: cases)
    func sanitizesLikeFeedparser(_ html: String, _ expected: String) {
        #expect(HTMLSanitizer.sanitize(html, base: "http://example.org/a/b/") == expected)
    }

    @Test(arguments: [
        #"<a href="&#106;avascript:alert(1)">x</a>"#, #"<a href="java&#x09;script:alert(1)">x</a>"#,
        #"<img src="vbscript:x">"#, #"<a href="  JAVASCRIPT:x">x</a>"#, #"<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>"#,
    ])
    func unsafeURLsNeverSurvive(_ html: String) {
        let clean = HTMLSanitizer.sanitize(html, base: nil).lowercased()
        #expect(!clean.contains("script:"))
        #expect(!clean.contains("data:"))
    }

    @Test(arguments: [
        #"<p style="width: expression(alert(1))">x</p>"#, #"<p style="background:url(javascript:alert(1))">x</p>"#,
        #"<p style="color: red; behavior: url(x.htc)">x</p>"#, #"<p style="color:\72 ed">x</p>"#,
        #"<p style="-moz-binding: url(x)">x</p>"#,
    ])
    func unsafeStylesNeverSurvive(_ html: String) {
        let clean = HTMLSanitizer.sanitize(html, base: nil).lowercased()
        #expect(!clean.contains("expression"))
        #expect(!clean.contains("url"))
        #expect(!clean.contains("\\"))
    }

    @Test func unterminatedMarkupIsText() {
        #expect(HTMLSanitizer.sanitize("<a href=\"x", base: nil) == "<a href=\"x")
        #expect(HTMLSanitizer.sanitize("<!-- never closed", base: nil) == "<!-- never closed")
        #expect(HTMLSanitizer.sanitize("<script>alert(1)", base: nil) == "")
    }

    @Test func looksLikeHTMLNeedsAnAllowedClosingTagOrAKnownEntity() {
        #expect(HTMLSanitizer.looksLikeHTML("A <b>bold</b> word"))
        #expect(HTMLSanitizer.looksLikeHTML("Caf&eacute;"))
        #expect(HTMLSanitizer.looksLikeHTML("It&#39;s"))
        #expect(!HTMLSanitizer.looksLikeHTML("<script>alert(1)</script>Hi"))
        #expect(!HTMLSanitizer.looksLikeHTML("AT&T < 5 & Tom <tj@x.org>"))
        #expect(!HTMLSanitizer.looksLikeHTML("&bogus; entity"))
    }
}

import Foundation
import Testing
@testable import Feeds

@Suite struct FormatTests {
    @Test func rss2WithNamespaces() throws {
        let feed = try FeedParser.parse(try TestFiles.fixture("rss2-namespaces.xml"))
        #expect(feed.bozo == false)
        #expect(feed.title == "Example & Co. <b>News</b>")  // markup inside a title is kept as HTML, as feedparser does
        #expect(feed.link == "https://example.com/home")  // atom:link rel=alternate, resolved against xml:base
        #expect(feed.subtitle == "All the news \u{2014} fit to print")
        #expect(epoch(feed.updated) == 1_055_217_600)  // Tue, 10 Jun 2003 04:00:00 GMT
        #expect(feed.ttlMinutes == 30)
        #expect(feed.entries.count == 3)

        let first = feed.entries[0]
        #expect(first.title == "Markets <em>rally</em> &amp; bonds   fall")
        #expect(first.link == "https://example.com/news/stories/markets.html")
        #expect(first.id == "markets-2003-06-10")
        #expect(epoch(first.published) == 1_055_252_461)  // Tue, 10 Jun 2003 09:41:01 EDT
        #expect(first.summary == "<p>Stocks <b>rose</b> today.</p>")
        #expect(first.content == "<p>Full story with <a href=\"https://example.com/x\">a link</a>.</p>")  // resolved against xml:base
        #expect(first.author == "desk@example.com (News Desk)")  // the last author element wins, as in feedparser
        #expect(first.categories == ["Business", "Markets"])
        #expect(first.thumbnail == "https://example.com/news/img/thumb.jpg")
        #expect(first.enclosures == [Enclosure(url: "https://cdn.example.com/audio.mp3", length: 12345, type: "audio/mpeg")])

        let second = feed.entries[1]
        #expect(second.link == "https://example.com/group")
        #expect(second.id == "https://example.com/guid-as-permalink")
        #expect(epoch(second.updated) == 1_055_239_200)  // dc:date is feedparser's "updated": 2003-06-10T10:00:00Z
        #expect(second.thumbnail == "https://cdn.example.com/still.png")  // the image inside media:group

        let third = feed.entries[2]
        #expect(third.link == "https://example.com/permalink/3")  // a permalink guid stands in for the link
        #expect(third.thumbnail == "https://cdn.example.com/photo.jpg")  // an image enclosure
        #expect(third.enclosures.first?.length == nil)
    }

    @Test func rss1RDF() throws {
        let feed = try FeedParser.parse(try TestFiles.fixture("rss1.rdf"))
        #expect(feed.title == "RDF Site")
        #expect(feed.link == "https://example.org/")
        #expect(epoch(feed.updated) == 1_075_624_200)  // 2004-02-01T08:30:00Z
        #expect(feed.entries.count == 2)
        let first = feed.entries[0]
        #expect(first.title == "First RDF item")
        #expect(first.id == "https://example.org/a")  // rdf:about
        #expect(first.author == "Alice")
        #expect(first.categories == ["Science"])
        #expect(epoch(first.updated) == 1_075_640_400.25)  // dc:date → updated: 2004-02-01T13:00:00.250Z
        #expect(first.content == "<p>Body A</p>")
        #expect(epoch(feed.entries[1].updated) == 1_075_507_200)  // 2004-01-31 (date only, midnight UTC)
    }

    @Test func rss090() throws {
        let feed = try FeedParser.parse(try TestFiles.fixture("rss090.rdf"))
        #expect(feed.title == "Mozilla Dot Org")
        #expect(feed.entries.map(\.title) == ["New Status Updates", "Bugzilla Reorganized"])
        #expect(feed.entries.map(\.link) == ["http://www.mozilla.org/status/", "http://www.mozilla.org/bugs/"])
    }

    @Test func rss091WithExternalDTDIsNotFetched() throws {
        let feed = try FeedParser.parse(try TestFiles.fixture("rss091.xml"))
        #expect(feed.bozo == false)
        #expect(feed.title == "WriteTheWeb")
        #expect(feed.entries.count == 1)
        #expect(feed.entries[0].link == "http://writetheweb.com/read.php?item=24")
    }

    @Test func atom10() throws {
        let feed = try FeedParser.parse(try TestFiles.fixture("atom10.xml"))
        #expect(feed.bozo == false)
        #expect(feed.title == "Dive <em>into</em> mark")
        #expect(feed.subtitle == "A lot of effort went into making this effortless")
        #expect(feed.link == "https://blog.example.net/")
        #expect(epoch(feed.updated) == 1_122_812_969)  // 2005-07-31T12:29:29Z
        #expect(feed.entries.count == 2)

        let first = feed.entries[0]
        #expect(first.title == "Atom draft-07 snapshot")
        #expect(first.link == "https://blog.example.net/2005/04/02/atom")
        #expect(first.id == "tag:example.org,2003:3.2397")
        #expect(epoch(first.published) == 1_071_318_569)  // 2003-12-13T12:29:29Z
        #expect(epoch(first.updated) == 1_122_812_969)
        #expect(first.author == "Mark Pilgrim")
        #expect(first.categories == ["atom", "syndication"])
        #expect(first.summary == "<p>A short &amp; sweet summary</p>")
        #expect(first.content == "<p><i>[Update: The Atom draft is finished.]</i></p>")
        #expect(first.enclosures == [Enclosure(url: "http://example.org/audio/ph34r_my_podcast.mp3", length: 1337, type: "audio/mpeg")])
        #expect(first.thumbnail == "https://blog.example.net/thumb.png")

        let second = feed.entries[1]
        #expect(second.title == "An <b>XHTML</b> title")
        #expect(second.link == "https://other.example.net/dir/page.html")  // the entry's own xml:base
        #expect(epoch(second.updated) == 1_122_714_000.5)  // 2005-07-30T09:00:00.5Z
        #expect(second.published == nil)
        #expect(second.content == "Plain text content")
    }

    @Test func atom03() throws {
        let feed = try FeedParser.parse(try TestFiles.fixture("atom03.xml"))
        #expect(feed.title == "Atom 0.3 feed")
        #expect(feed.subtitle == "An old tagline")
        #expect(feed.link == "http://example.org/")
        #expect(epoch(feed.updated) == 1_071_340_202)  // 2003-12-13T18:30:02Z
        let entry = try #require(feed.entries.first)
        #expect(entry.link == "http://example.org/2003/12/13/atom03")
        #expect(epoch(entry.published) == 1_071_318_569)
        #expect(entry.summary == "Some text.")
    }

    @Test func relativeLinksResolveAgainstBaseURL() throws {
        let xml = """
        <rss version="2.0"><channel><title>T</title><link>/</link>
        <item><title>A</title><link>../story/1?x=1&amp;y=2</link><enclosure url="media/a.mp3" length="1" type="audio/mpeg"/></item>
        <item><title>B</title><link>https://absolute.example/b</link></item>
        </channel></rss>
        """
        let feed = try parse(xml, baseURL: "https://site.example/feeds/main/rss.xml")
        #expect(feed.link == "https://site.example/")
        #expect(feed.entries[0].link == "https://site.example/feeds/story/1?x=1&y=2")
        #expect(feed.entries[0].enclosures.first?.url == "https://site.example/feeds/main/media/a.mp3")
        #expect(feed.entries[1].link == "https://absolute.example/b")
        // Without any base the link is kept as written.
        #expect(try parse(xml).entries[0].link == "../story/1?x=1&y=2")
    }

    @Test func htmlInTitlesIsKeptAsHTML() throws {
        let xml = """
        <rss version="2.0"><channel><title>  Spaced
           out  </title>
        <item><title>&lt;b&gt;Bold&lt;/b&gt; &amp;amp; &lt;i&gt;italic&lt;/i&gt; &amp;eacute;t&amp;#233;</title></item>
        <item><title>5 &lt; 6 &amp; AT&amp;T</title></item>
        </channel></rss>
        """
        let feed = try parse(xml)
        // feedparser's values: plain text trimmed as written, escaped HTML kept as HTML (the app derives text).
        #expect(feed.title == "Spaced\n   out")
        #expect(feed.entries[0].title == "<b>Bold</b> &amp; <i>italic</i> &eacute;t&#233;")
        #expect(feed.entries[0].title.map(HTMLText.plainText) == "Bold & italic été")
        #expect(feed.entries[1].title == "5 < 6 & AT&T")
    }

    @Test func internalEntitiesAndCharacterReferences() throws {
        let feed = try FeedParser.parse(try TestFiles.fixture("internal-entity.xml"))
        // feedparser flags it: its DOCTYPE rewrite cuts a one-line internal subset at the first ">" (syntax error).
        #expect(feed.bozo == true)
        #expect(feed.title == "Acme\u{A0}Widgets News")  // the entity's no-break space, as written
        #expect(feed.entries[0].title == "Café 😀 \"quoted\" 'single' I <3 feeds > all")
    }

    @Test func rss2InUserLandNamespace() throws {
        let feed = try parse(#"<rss version="2.0" xmlns="http://backend.userland.com/rss2"><channel><title>U</title><item><title>I</title></item></channel></rss>"#)
        #expect(feed.title == "U")
        #expect(feed.entries.map(\.title) == ["I"])
    }

    @Test func undeclaredHTMLEntityIsRecoveredAsBozo() throws {
        let feed = try parse("<rss version=\"2.0\"><channel><title>A&nbsp;B</title><item><title>Still here</title></item></channel></rss>")
        #expect(feed.bozo == true)
        #expect(feed.bozoMessage?.contains("nbsp") == true)
        #expect(feed.title?.hasPrefix("A") == true)
        #expect(feed.entries.first?.title == "Still here")
    }
}

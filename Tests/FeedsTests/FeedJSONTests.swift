import Foundation
import Testing
@testable import Feeds

@Suite struct FeedJSONTests {
    @Test func exactShapeForASmallFeed() throws {
        let xml = """
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
             xmlns:media="http://search.yahoo.com/mrss/">
        <channel><title>Small "Feed"</title><link>https://small.example/</link><description>Tiny\\things</description>
        <lastBuildDate>Wed, 31 Dec 2003 10:14:55 GMT</lastBuildDate>
        <item><title>One</title><link>https://small.example/1</link><guid>id-1</guid>
        <pubDate>Tue, 30 Dec 2003 09:00:00 +0100</pubDate><description>Line1
        Line2</description><content:encoded>&lt;p&gt;Body&lt;/p&gt;</content:encoded><dc:creator>Ann</dc:creator>
        <category>A</category><category>B</category>
        <enclosure url="https://small.example/a.mp3" length="42" type="audio/mpeg"/>
        <media:thumbnail url="https://small.example/t.jpg"/></item>
        <item><title>Two</title></item>
        </channel></rss>
        """
        let json = FeedJSON.encode(try parse(xml))
        let expected = #"{"feed": {"title": "Small \"Feed\"", "link": "https://small.example/", "subtitle": "Tiny\\things", "updated": "2003-12-31T10:14:55Z"}, "#
            + #""entries": [{"title": "One", "link": "https://small.example/1", "id": "id-1", "published": "2003-12-30T08:00:00Z", "#
            // feedparser's `updated` falls back to `published`.
            + #""updated": "2003-12-30T08:00:00Z", "summary": "Line1\nLine2", "content": "<p>Body</p>", "author": "Ann", "categories": ["A", "B"], "#
            + #""enclosures": [{"url": "https://small.example/a.mp3", "length": 42, "type": "audio/mpeg"}], "thumbnail": "https://small.example/t.jpg"}, "#
            + #"{"title": "Two"}], "bozo": false}"#
        #expect(json == expected)
        // It is valid JSON too.
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
    }

    @Test func emptyFeedAndBozo() {
        #expect(FeedJSON.encode(ParsedFeed(bozo: true)) == #"{"feed": {}, "entries": [], "bozo": true}"#)
    }

    @Test func escapesControlCharactersAndKeepsUnicode() {
        let feed = ParsedFeed(title: "tab\there\u{1}é😀\u{2028}")
        #expect(FeedJSON.encode(feed) == #"{"feed": {"title": "tab\there\u0001é😀\u2028"}, "entries": [], "bozo": false}"#)
    }

    @Test func timestampsAreUTC() {
        #expect(FeedJSON.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(FeedJSON.timestamp(Date(timeIntervalSince1970: 1_709_251_199.9)) == "2024-02-29T23:59:59Z")
        #expect(FeedJSON.timestamp(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
    }

    @Test func textRenderingListsEntries() throws {
        let feed = try FeedParser.parse(try TestFiles.fixture("rss1.rdf"))
        let text = FeedText.render(feed)
        #expect(text.hasPrefix("Feed: RDF Site\nLink: https://example.org/\nAbout: An RSS 1.0 feed\nUpdated: 2004-02-01T08:30:00Z\nEntries: 2\n"))
        #expect(text.contains("\n1. First RDF item\n   https://example.org/a\n   2004-02-01T13:00:00Z\n   by Alice\n   [Science]\n   Item A\n"))
        #expect(text.hasSuffix("2. Second RDF item\n   https://example.org/b\n   2004-01-31T00:00:00Z\n"))
    }
}

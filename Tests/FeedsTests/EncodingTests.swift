import Foundation
import Testing
@testable import Feeds

/// Declared encodings and byte order marks, with the bytes written by the test itself.
@Suite struct EncodingTests {
    private func feedBytes(declaring encoding: String, title: [UInt8]) -> [UInt8] {
        Array("<?xml version=\"1.0\" encoding=\"\(encoding)\"?><rss version=\"2.0\"><channel><title>".utf8)
            + title + Array("</title><item><title>x</title></item></channel></rss>".utf8)
    }

    @Test func iso88591() throws {
        // "Café Müller" in Latin-1: é = E9, ü = FC.
        let bytes = feedBytes(declaring: "ISO-8859-1", title: Array("Caf".utf8) + [0xE9] + Array(" M".utf8) + [0xFC] + Array("ller".utf8))
        let feed = try FeedParser.parse(bytes)
        #expect(feed.bozo == false)
        #expect(feed.title == "Café Müller")
    }

    @Test func windows1252() throws {
        // 0x93/0x94 are curly double quotes and 0x80 is the euro sign only in windows-1252.
        let bytes = feedBytes(declaring: "windows-1252", title: [0x93] + Array("Price".utf8) + [0x94] + Array(" 5".utf8) + [0x80])
        let feed = try FeedParser.parse(bytes)
        #expect(feed.bozo == false)
        #expect(feed.title == "\u{201C}Price\u{201D} 5\u{20AC}")
    }

    /// The "smart quotes" case, with feedparser's values: 0x93/0x94/0x80 are Windows-1252 whatever the declaration says.
    @Test(arguments: ["ISO-8859-1", "iso-8859-1", "latin1"])
    func windows1252BytesInALatin1Document(_ declared: String) throws {
        let bytes = feedBytes(declaring: declared, title: [0x93] + Array("Smart".utf8) + [0x94] + Array(" caf".utf8) + [0xE9, 0x20, 0x80])
        let feed = try FeedParser.parse(bytes)
        #expect(feed.title == "\u{201C}Smart\u{201D} café \u{20AC}")
        #expect(feed.bozo == false)
    }

    @Test func windows1252BytesInAnASCIIDocumentAreReadAndFlagged() throws {
        let bytes = feedBytes(declaring: "US-ASCII", title: [0x93] + Array("Smart".utf8) + [0x94])
        let feed = try FeedParser.parse(bytes)
        #expect(feed.title == "\u{201C}Smart\u{201D}")
        #expect(feed.bozo == true)  // feedparser: CharacterEncodingOverride
        #expect(feed.bozoMessage == "document declared as us-ascii, but parsed as windows-1252")
    }

    @Test(arguments: ["<?xml version=\"1.0\" encoding=\"", "<?xml encoding='latin1", "<?xml version=\"1.0\" encoding=>"])
    func brokenDeclarationsDoNotCrash(_ declaration: String) {
        let bytes = Array(declaration.utf8) + [0x93, 0x80] + Array("<rss/>".utf8)
        _ = try? FeedParser.parse(bytes)
    }

    @Test(arguments: [true, false])
    func utf16WithByteOrderMark(littleEndian: Bool) throws {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss version=\"2.0\"><channel><title>日本語 ニュース</title>"
            + "<item><title>Ünïcödé 😀</title></item></channel></rss>"
        var bytes: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        for unit in xml.utf16 {
            let pair = [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            bytes += littleEndian ? pair : pair.reversed()
        }
        let feed = try FeedParser.parse(bytes)
        #expect(feed.bozo == false)
        #expect(feed.title == "日本語 ニュース")
        #expect(feed.entries.first?.title == "Ünïcödé 😀")
    }

    @Test func utf8ByteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("<rss version=\"2.0\"><channel><title>BOM</title></channel></rss>".utf8)
        #expect(try FeedParser.parse(bytes).title == "BOM")
    }

    /// A UTF-8 byte order mark on a Windows-1252 declaration: feedparser decodes Windows-1252 and gives mojibake
    /// ("CafÃ© â€™"); we read what the mark says, unflagged as feedparser leaves it.
    @Test func utf8ByteOrderMarkWinsOverAWindows1252Declaration() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + feedBytes(declaring: "windows-1252", title: Array("Café ’".utf8))
        let feed = try FeedParser.parse(bytes)
        #expect(feed.title == "Café ’")
        #expect(feed.bozo == false)
    }

    @Test func utf16ByteOrderMarkOnAUTF8DeclarationIsReadAndFlagged() throws {
        var bytes: [UInt8] = [0xFE, 0xFF]
        for unit in String(decoding: feedBytes(declaring: "utf-8", title: Array("Ünï".utf8)), as: UTF8.self).utf16 {
            bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)]
        }
        let feed = try FeedParser.parse(bytes)
        #expect(feed.title == "Ünï")
        #expect(feed.bozoMessage == "document declared as utf-8, but parsed as utf-16be")
    }

    @Test func cdataKeepsMarkupAsText() throws {
        let feed = try parse("""
        <rss version="2.0"><channel><title>C</title><item><title><![CDATA[A & B]]></title>
        <description><![CDATA[<p>1 < 2 & "quotes"</p>]]></description></item></channel></rss>
        """)
        #expect(feed.entries[0].title == "A & B")
        #expect(feed.entries[0].summary == "<p>1 < 2 & \"quotes\"</p>")
    }

    @Test func dataOverloadMatchesBytes() throws {
        let bytes = try TestFiles.fixture("rss1.rdf")
        #expect(try FeedParser.parse(Data(bytes)) == FeedParser.parse(bytes))
    }

    @Test func readsFromAPath() throws {
        let path = TestFiles.fixtures.appendingPathComponent("atom03.xml").path
        #expect(try FeedParser.parse(contentsOf: path).title == "Atom 0.3 feed")
        #expect(throws: FeedParseError.tooLarge(limit: 100)) { try FeedParser.parse(contentsOf: path, maxBytes: 100) }
        #expect {
            try FeedParser.parse(contentsOf: path + ".missing")
        } throws: { error in
            (error as? FeedParseError)?.description.contains("cannot read the file") == true
        }
    }
}

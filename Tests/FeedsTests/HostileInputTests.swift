import Foundation
import Testing
@testable import Feeds

/// Ill-formed, hostile and non-feed input: a typed error or a flagged recovery, never a crash or a leak.
@Suite struct HostileInputTests {
    @Test func illFormedIsRecoveredAndFlagged() throws {
        let feed = try FeedParser.parse(try TestFiles.fixture("ill-formed.xml"))
        #expect(feed.bozo == true)
        let message = try #require(feed.bozoMessage)
        #expect(message.hasPrefix("line 4:"))
        #expect(feed.title?.hasPrefix("Broken") == true)
        #expect(feed.entries.first?.title == "First item survives")
        #expect(feed.entries.first?.link == "https://broken.example.com/1")
    }

    @Test func externalEntitiesAreNeverLoaded() throws {
        let passwd = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8)) ?? "root:x:0:0"
        let feed = try FeedParser.parse(try TestFiles.fixture("xxe.xml"))
        let everything = FeedJSON.encode(feed)
        #expect(!everything.contains("root:"))
        #expect(!everything.contains(String(passwd.prefix(20))))
        #expect(feed.title == "Leak:")
        #expect(feed.entries.first?.title == "Item")
    }

    @Test func localFilesAreNeverReadThroughEntitiesOrDTDs() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xxe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let secret = "SECRET-\(UUID().uuidString)"
        let secretFile = directory.appendingPathComponent("secret.txt")
        try Data(secret.utf8).write(to: secretFile)
        let dtdFile = directory.appendingPathComponent("evil.dtd")
        try Data("<!ENTITY fromdtd \"\(secret)\">".utf8).write(to: dtdFile)

        let general = """
        <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY leak SYSTEM "\(secretFile.absoluteString)">]>
        <rss version="2.0"><channel><title>t &leak;</title><item><title>&leak;</title><link>https://x.example/&leak;</link></item></channel></rss>
        """
        let external = """
        <?xml version="1.0"?><!DOCTYPE rss SYSTEM "\(dtdFile.absoluteString)">
        <rss version="2.0"><channel><title>t &fromdtd;</title></channel></rss>
        """
        let parameter = """
        <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % dtd SYSTEM "\(dtdFile.absoluteString)"> %dtd;]>
        <rss version="2.0"><channel><title>t &fromdtd;</title></channel></rss>
        """
        for xml in [general, external, parameter] {
            let feed = try parse(xml)
            #expect(!FeedJSON.encode(feed).contains(secret))
            #expect(feed.title == "t")
        }
    }

    /// feedparser's bozo for DOCTYPEs whose entities it drops (it keeps line-start, double-quoted values without `&`)
    /// or whose internal subset it cuts at the first `>`; the values stay libxml2's (no external entity is read).
    @Test(arguments: [
        ("<!DOCTYPE rss [<!ENTITY foo \"bar\">]>", true, "syntax error"),
        ("<!DOCTYPE rss [\n<!ENTITY foo SYSTEM \"file:///etc/hostname\">\n]>", true, "undefined entity"),
        ("<!DOCTYPE rss [\n<!ENTITY foo \"a &amp; b\">\n]>", true, "undefined entity"),
        ("<!DOCTYPE rss [\n<!ENTITY foo 'bar'>\n]>", true, "undefined entity"),
        ("<!DOCTYPE rss [\n<!ENTITY foo \"bar\">\n<!ATTLIST rss version CDATA #IMPLIED>\n]>", true, "syntax error"),
        ("<!DOCTYPE rss [\n  <!ENTITY foo \"bar\">\n]>", false, ""),
        ("<!DOCTYPE rss [\n<!ENTITY % p \"x\">\n<!ENTITY foo \"bar\">\n]>", false, ""),
    ])
    func doctypeBozoAsFeedparser(_ doctype: String, _ bozo: Bool, _ reason: String) throws {
        let xml = "<?xml version=\"1.0\"?>\n\(doctype)\n<rss version=\"2.0\"><channel><title>T &foo; x</title></channel></rss>"
        let feed = try parse(xml)
        #expect(feed.bozo == bozo)
        #expect(feed.bozoMessage?.contains(reason) ?? !bozo)
    }

    @Test func doctypeOnTheDeclarationLineIsReadAsFeedparserReadsIt() throws {
        // Not at a line start, feedparser leaves the DOCTYPE alone: one line reads cleanly; entity lines inside are cut.
        let oneLine = try parse("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY foo \"bar\">]><rss version=\"2.0\"><channel><title>T &foo;</title></channel></rss>")
        #expect(oneLine.bozo == false)
        #expect(oneLine.title == "T bar")
        let split = try parse("<?xml version=\"1.0\"?><!DOCTYPE rss [\n<!ENTITY foo \"bar\">\n]>\n<rss version=\"2.0\"><channel><title>T &foo;</title></channel></rss>")
        #expect(split.bozo == true)
    }

    @Test func xxeFixtureIsBozoAsInFeedparser() throws {
        // feedparser drops the SYSTEM entity and then finds &xxe; undefined.
        let feed = try FeedParser.parse(try TestFiles.fixture("xxe.xml"))
        #expect(feed.bozo == true)
        #expect(feed.bozoMessage?.contains("&xxe;") == true)
    }

    @Test func billionLaughsStopsWithAnError() throws {
        #expect(throws: FeedParseError.entityExpansion) {
            try FeedParser.parse(try TestFiles.fixture("billion-laughs.xml"))
        }
    }

    @Test func quadraticBlowupIsRefused() {
        // One large entity referenced many times: libxml2 keeps the references, so reading must not expand them.
        let entity = String(repeating: "x", count: 100_000)
        let references = String(repeating: "&a;", count: 10_000)
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"\(entity)\">]><rss version=\"2.0\"><channel><title>\(references)</title></channel></rss>"
        #expect(throws: FeedParseError.entityExpansion) { try parse(xml) }
    }

    @Test func quadraticBlowupInAttributesIsRefused() {
        let entity = String(repeating: "y", count: 100_000)
        let links = String(repeating: "<enclosure url=\"&a;\"/>", count: 2_000)
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"\(entity)\">]><rss version=\"2.0\"><channel><title>t</title><item>\(links)</item></channel></rss>"
        #expect(throws: FeedParseError.entityExpansion) { try parse(xml) }
    }

    @Test func oversizeIsRefusedBeforeParsing() {
        let bytes = Array("<rss version=\"2.0\"><channel><title>big</title></channel></rss>".utf8)
        #expect(throws: FeedParseError.tooLarge(limit: 10)) { try FeedParser.parse(bytes, maxBytes: 10) }
        #expect(throws: Never.self) { try FeedParser.parse(bytes, maxBytes: bytes.count) }
    }

    @Test(arguments: ["", "   \n\t  "])
    func emptyInput(_ text: String) {
        #expect(throws: FeedParseError.empty) { try FeedParser.parse(Array(text.utf8)) }
    }

    @Test(arguments: ["this is not xml at all", "{\"json\": true}", "\u{0}\u{1}\u{2}binary"])
    func notXML(_ text: String) {
        #expect {
            try FeedParser.parse(Array(text.utf8))
        } throws: { error in
            guard case FeedParseError.unreadable(let message) = error else { return false }
            return !message.isEmpty
        }
    }

    @Test func notAFeed() {
        #expect(throws: FeedParseError.notAFeed(rootElement: "html")) {
            try FeedParser.parse(try TestFiles.fixture("not-a-feed.html"))
        }
        #expect(throws: FeedParseError.notAFeed(rootElement: "opml")) {
            try parse("<opml version=\"2.0\"><body/></opml>")
        }
    }

    @Test func errorsHaveActionableMessages() {
        #expect(FeedParseError.empty.description == "the feed is empty: the server sent no content")
        #expect(FeedParseError.tooLarge(limit: 10).description.contains("larger than 10 bytes"))
        #expect(FeedParseError.notAFeed(rootElement: "html").description.contains("root element is <html>"))
        #expect(FeedParseError.entityExpansion.description.contains("entity bomb"))
    }

    @Test func deeplyNestedElementsDoNotCrash() throws {
        let depth = 5_000
        let xml = "<rss version=\"2.0\"><channel><title>deep</title><item><title>" + String(repeating: "<b>", count: depth)
            + "x" + String(repeating: "</b>", count: depth) + "</title></item></channel></rss>"
        let feed = try parse(xml)
        #expect(feed.title == "deep")
        #expect(feed.entries.count == 1)
    }
}

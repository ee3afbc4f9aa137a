import Foundation
import Testing
@testable import Feeds

@Suite struct CatalogTests {
    private func catalog(_ json: String) throws(CatalogError) -> Catalog {
        try Catalog.parse(Array(json.utf8))
    }

    @Test func longForm() throws {
        let parsed = try catalog("""
        {
          "refreshMinutes": 20,
          "publications": [
            {"id": "zeit", "name": "Die Zeit", "url": "https://newsfeed.zeit.de/index"},
            {"id": "bbc", "name": "BBC News", "url": "https://feeds.bbci.co.uk/news/rss.xml", "refreshMinutes": 30},
            {"id": "local-1", "url": "file:///srv/feeds/local.xml"}
          ]
        }
        """)
        #expect(parsed.defaultRefreshMinutes == 20)
        #expect(parsed.publications == [
            Publication(id: "zeit", name: "Die Zeit", url: "https://newsfeed.zeit.de/index", refreshMinutes: 20),
            Publication(id: "bbc", name: "BBC News", url: "https://feeds.bbci.co.uk/news/rss.xml", refreshMinutes: 30),
            Publication(id: "local-1", name: "local-1", url: "file:///srv/feeds/local.xml", refreshMinutes: 20),
        ])
    }

    @Test func shortFormKeepsFileOrder() throws {
        let parsed = try catalog(#"{"zz": "https://z.example/rss", "bbc": "https://feeds.bbci.co.uk/news/rss.xml", "cnn": "http://rss.cnn.com/rss/edition.rss", "abc": "https://a.example/feed"}"#)
        #expect(parsed.publications.map(\.id) == ["zz", "bbc", "cnn", "abc"])
        #expect(parsed.publications.map(\.name) == ["zz", "bbc", "cnn", "abc"])
        #expect(parsed.publications.allSatisfy { $0.refreshMinutes == 15 })
        #expect(parsed.defaultRefreshMinutes == 15)
    }

    @Test func theRepositoryCatalogLoads() throws {
        // Resolve symlinks first: a scratch package may reach this folder through a link.
        let path = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("../../feeds.json").standardized.path
        let loaded = try Catalog.load(path: path)
        #expect(loaded.publications.map(\.id) == ["bbc", "cnn"])
    }

    @Test func loadFromDisk() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("feeds.json")
        try Data(#"{"npr": "https://feeds.npr.org/1001/rss.xml"}"#.utf8).write(to: file)
        #expect(try Catalog.load(path: file.path).publications.first?.url == "https://feeds.npr.org/1001/rss.xml")
        #expect {
            try Catalog.load(path: directory.appendingPathComponent("missing.json").path)
        } throws: { error in
            guard case CatalogError.unreadable(let path, _) = error else { return false }
            return path.hasSuffix("missing.json") && (error as? CatalogError)?.description.contains("cannot read the catalog") == true
        }
    }

    static let errorCases: [(json: String, error: CatalogError, message: String)] = [
        (#"{"publications": [{"id": "bbc", "name": "BBC", "uri": "https://x.example/"}]}"#,
         .unknownKey(publication: "bbc", key: "uri"),
         "feeds.json: publication 'bbc': unknown key 'uri' (expected id, name, url, refreshMinutes)"),
        (#"{"publications": [{"id": "bbc", "url": "https://a.example/"}, {"id": "bbc", "url": "https://b.example/"}]}"#,
         .duplicateID("bbc"),
         "feeds.json: publication id 'bbc' is listed twice; give each publication its own id"),
        (#"{"publications": [{"id": "bbc", "url": "ftp://a.example/feed"}]}"#,
         .invalidURL(publication: "bbc", reason: "scheme 'ftp' is not supported; use http, https or file"),
         "feeds.json: publication 'bbc': bad url: scheme 'ftp' is not supported; use http, https or file"),
        (#"{"publications": [{"id": "bbc", "url": "https:///no-host"}]}"#,
         .invalidURL(publication: "bbc", reason: "https URL has no host; write it like https://example.com/feed.xml"),
         "feeds.json: publication 'bbc': bad url: https URL has no host; write it like https://example.com/feed.xml"),
        (#"{"bbc": "feeds.bbci.co.uk/news"}"#,
         .invalidURL(publication: "bbc", reason: "not a valid absolute URL; write it like https://example.com/feed.xml"),
         "feeds.json: publication 'bbc': bad url: not a valid absolute URL; write it like https://example.com/feed.xml"),
        (#"{"bbc": "https://exa mple.com/"}"#,
         .invalidURL(publication: "bbc", reason: "not a valid absolute URL; write it like https://example.com/feed.xml"),
         "feeds.json: publication 'bbc': bad url: not a valid absolute URL; write it like https://example.com/feed.xml"),
        (#"{"publications": [{"id": "bbc"}]}"#,
         .missingKey(publication: "bbc", key: "url"),
         "feeds.json: publication 'bbc' has no 'url'; add it"),
        (#"{"publications": [{"name": "BBC", "url": "https://a.example/"}]}"#,
         .missingKey(publication: "#1", key: "id"),
         "feeds.json: publication #1 has no 'id'; add it"),
        (#"{"publications": [{"id": "bbc", "url": 42}]}"#,
         .wrongType(publication: "bbc", key: "url", expected: "a string", found: "a number"),
         "feeds.json: publication 'bbc': 'url' is a number; it must be a string"),
        (#"{"publications": [{"id": 7, "url": "https://a.example/"}]}"#,
         .wrongType(publication: "#1", key: "id", expected: "a string", found: "a number"),
         "feeds.json: publication #1: 'id' is a number; it must be a string"),
        (#"{"publications": [{"id": "bbc", "url": "https://a.example/", "refreshMinutes": "30"}]}"#,
         .wrongType(publication: "bbc", key: "refreshMinutes", expected: "a whole number of minutes", found: "a string"),
         "feeds.json: publication 'bbc': 'refreshMinutes' is a string; it must be a whole number of minutes"),
        (#"{"publications": [{"id": "bbc", "url": "https://a.example/", "refreshMinutes": 0}]}"#,
         .invalidRefreshMinutes(publication: "bbc", value: "0"),
         "feeds.json: publication 'bbc': refreshMinutes 0 is out of range; use a whole number of minutes from 1 to 1440"),
        (#"{"publications": [{"id": "bbc", "url": "https://a.example/", "refreshMinutes": 2.5}]}"#,
         .invalidRefreshMinutes(publication: "bbc", value: "2.5"),
         "feeds.json: publication 'bbc': refreshMinutes 2.5 is out of range; use a whole number of minutes from 1 to 1440"),
        (#"{"refreshMinutes": 5000, "publications": [{"id": "bbc", "url": "https://a.example/"}]}"#,
         .invalidRefreshMinutes(publication: nil, value: "5000"),
         "feeds.json: refreshMinutes 5000 is out of range; use a whole number of minutes from 1 to 1440"),
        (#"{"publications": [{"id": "BBC", "url": "https://a.example/"}]}"#,
         .invalidID("BBC"),
         "feeds.json: publication id 'BBC' is not a lowercase slug; use 1–64 characters of a-z, 0-9 and '-', starting with a letter or digit"),
        (#"{"-bbc": "https://a.example/"}"#, .invalidID("-bbc"),
         "feeds.json: publication id '-bbc' is not a lowercase slug; use 1–64 characters of a-z, 0-9 and '-', starting with a letter or digit"),
        (#"{"publications": []}"#, .noPublications,
         #"feeds.json: no publications; list at least one, e.g. {"bbc": "https://feeds.bbci.co.uk/news/rss.xml"}"#),
        ("{}", .noPublications,
         #"feeds.json: no publications; list at least one, e.g. {"bbc": "https://feeds.bbci.co.uk/news/rss.xml"}"#),
        (#"{"publications": [], "feeds": 1}"#, .unknownTopLevelKey("feeds"),
         "feeds.json: unknown top-level key 'feeds' (expected refreshMinutes, publications)"),
        (#"{"publications": {"bbc": "https://a.example/"}}"#,
         .wrongTopLevelType(key: "publications", expected: "an array of publications", found: "an object"),
         "feeds.json: 'publications' is an object; it must be an array of publications"),
        (#"{"publications": ["https://a.example/"]}"#, .publicationNotAnObject(position: 1, found: "a string"),
         "feeds.json: publication #1 is a string; it must be an object with id, name, url"),
        (#"["bbc"]"#, .notAnObject(found: "an array"),
         #"feeds.json: the top level is an array; expected an object such as {"publications": [...]} or {"bbc": "https://…"}"#),
        ("{\"bbc\": \"https://a.example/\",\n \"cnn\": }", .invalidJSON(message: "unexpected character '}'", line: 2, column: 9),
         "feeds.json: invalid JSON at line 2, column 9: unexpected character '}'"),
        ("", .invalidJSON(message: "the file is empty", line: 1, column: 1),
         "feeds.json: invalid JSON at line 1, column 1: the file is empty"),
        (#"{"bbc": "https://a.example/"} trailing"#, .invalidJSON(message: "unexpected text after the JSON value", line: 1, column: 31),
         "feeds.json: invalid JSON at line 1, column 31: unexpected text after the JSON value"),
        (#"{"bbc": "https://a.example/}"#, .invalidJSON(message: "unterminated string", line: 1, column: 29),
         "feeds.json: invalid JSON at line 1, column 29: unterminated string"),
    ]

    @Test(arguments: errorCases)
    func refuses(_ json: String, _ expected: CatalogError, _ message: String) {
        #expect(throws: expected) { try catalog(json) }
        #expect(expected.description == message)
    }

    @Test func idLengthLimit() throws {
        let longest = String(repeating: "a", count: 64)
        #expect(try catalog(#"{"\#(longest)": "https://a.example/"}"#).publications.first?.id == longest)
        #expect(throws: CatalogError.invalidID(longest + "a")) { try catalog(#"{"\#(longest)a": "https://a.example/"}"#) }
    }

    @Test func escapesAndUnicodeInNames() throws {
        let parsed = try catalog(#"{"publications": [{"id": "lemonde", "name": "Le Monde \u00e9dition \ud83d\ude00 \"quoted\"", "url": "https://a.example/?a=1&b=2"}]}"#)
        #expect(parsed.publications.first?.name == "Le Monde édition 😀 \"quoted\"")
    }

    @Test func deepNestingIsRefused() {
        let json = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(throws: CatalogError.invalidJSON(message: "nested too deeply", line: 1, column: 65)) { try catalog(json) }
    }
}

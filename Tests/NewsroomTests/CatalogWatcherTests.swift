import Foundation
import TestSupport
import Testing
import Feeds
import Storage
@testable import Newsroom

/// CatalogWatcher over a real feeds.json in a temporary folder and a real SQLite file.
@Suite struct CatalogWatcherTests {
    /// A feeds.json in its own folder, a store, a clock, and the watcher over them.
    struct Setup {
        let folder: URL
        let path: String
        let clock = TestClock()
        let store: any Store
        let watcher: CatalogWatcher

        init(_ contents: String) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-watcher-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            path = folder.appendingPathComponent("feeds.json").path
            store = try SQLiteStore.temporary()
            let clock = self.clock
            watcher = CatalogWatcher(path: path, store: store, now: { clock.now }, logger: .quiet)
            try write(contents)
        }

        func write(_ contents: String) throws { try Data(contents.utf8).write(to: URL(fileURLWithPath: path)) }

        func activeIDs() async throws -> [String] { try await store.publications().map(\.id) }
    }

    static let twoFeeds = """
        {"refreshMinutes": 20, "publications": [
          {"id": "bbc", "name": "BBC News", "url": "https://feeds.bbci.co.uk/news/rss.xml"},
          {"id": "cnn", "name": "CNN", "url": "http://rss.cnn.com/rss/edition.rss", "refreshMinutes": 30}
        ]}
        """

    static let threeFeeds = """
        {"refreshMinutes": 20, "publications": [
          {"id": "bbc", "name": "BBC News", "url": "https://feeds.bbci.co.uk/news/rss.xml"},
          {"id": "cnn", "name": "CNN", "url": "http://rss.cnn.com/rss/edition.rss", "refreshMinutes": 30},
          {"id": "npr", "name": "NPR", "url": "https://feeds.npr.org/1001/rss.xml"}
        ]}
        """

    @Test func loadInitialStoresTheCatalogDueNow() async throws {
        let s = try Setup(Self.twoFeeds)
        let catalog = try await s.watcher.loadInitial()

        #expect(catalog.publications.map(\.id) == ["bbc", "cnn"])
        #expect(s.watcher.catalog == catalog)
        #expect(s.watcher.lastError == nil)
        let stored = try await s.store.publications()
        #expect(stored.map(\.id) == ["bbc", "cnn"])
        #expect(stored.map(\.name) == ["BBC News", "CNN"])
        #expect(stored.map(\.refreshMinutes) == [20, 30])
        #expect(try await s.store.duePublications(now: s.clock.now).map(\.id).sorted() == ["bbc", "cnn"])
        #expect(await s.watcher.reloadIfChanged() == [], "an unchanged file is not reloaded")
    }

    @Test(arguments: [
        ("{\"publications\": [", "invalid JSON"),
        ("{\"publications\": [{\"id\": \"bbc\", \"url\": \"https://x.example/rss\", \"colour\": \"red\"}]}", "colour"),
        ("{\"publications\": [{\"id\": \"bbc\", \"url\": \"https://a.example/rss\"}, {\"id\": \"bbc\", \"url\": \"https://b.example/rss\"}]}", "bbc"),
        ("{\"publications\": [{\"id\": \"bbc\", \"url\": \"ftp://x.example/rss\"}]}", "ftp"),
        ("{\"publications\": []}", "no publications"),
        ("[]", "top level"),
    ])
    func invalidFileAtStartThrowsAndStoresNothing(contents: String, named: String) async throws {
        let s = try Setup(contents)
        let error = await #expect(throws: CatalogError.self) { try await s.watcher.loadInitial() }
        let message = error.map { String(describing: $0) } ?? ""
        #expect(message.localizedCaseInsensitiveContains(named), "\(message)")
        #expect(s.watcher.catalog == nil)
        await #expect(try s.activeIDs().isEmpty)
    }

    @Test func missingFileAtStartThrows() async throws {
        let s = try Setup(Self.twoFeeds)
        try FileManager.default.removeItem(atPath: s.path)
        await #expect(throws: CatalogError.self) { try await s.watcher.loadInitial() }
        await #expect(try s.activeIDs().isEmpty)
    }

    @Test func addedPublicationIsReturnedAndDueNow() async throws {
        let s = try Setup(Self.twoFeeds)
        try await s.watcher.loadInitial()
        s.clock.advance(by: 3600)
        // The first two were fetched meanwhile; only the new one should be due.
        for id in ["bbc", "cnn"] {
            try await s.store.recordNotModified(publicationID: id, fetchedAt: s.clock.now, nextDueAt: s.clock.now.addingTimeInterval(900))
        }

        try await s.write(Self.threeFeeds)
        #expect(await s.watcher.reloadIfChanged() == ["npr"])

        #expect(try await s.store.duePublications(now: s.clock.now).map(\.id) == ["npr"])
        await #expect(try s.activeIDs() == ["bbc", "cnn", "npr"])
        #expect(s.watcher.catalog?.publications.map(\.id) == ["bbc", "cnn", "npr"])
        #expect(await s.watcher.reloadIfChanged() == [])
    }

    @Test func sameSizeEditIsNoticed() async throws {
        let s = try Setup(#"{"bbc": "https://a.example/rss"}"#)
        try await s.watcher.loadInitial()
        try await s.write(#"{"bbc": "https://b.example/rss"}"#)

        await s.watcher.reloadIfChanged()

        #expect(try await s.store.publication(id: "bbc")?.url == "https://b.example/rss")
    }

    @Test func invalidEditKeepsTheLastGoodCatalog() async throws {
        let s = try Setup(Self.twoFeeds)
        let good = try await s.watcher.loadInitial()

        try await s.write(#"{"refreshMinutes": 20, "publications": [{"id": "bbc", "url": "https://x.example/rss", "colour": "red"}]}"#)
        #expect(await s.watcher.reloadIfChanged() == [])

        #expect(s.watcher.catalog == good)
        let why = try #require(s.watcher.lastError)
        #expect(why.contains("colour"), "\(why)")
        await #expect(try s.activeIDs() == ["bbc", "cnn"])
        #expect(try await s.store.publication(id: "bbc")?.url == "https://feeds.bbci.co.uk/news/rss.xml")

        // Fixing the file brings it back into effect and clears the error.
        try await s.write(Self.threeFeeds)
        #expect(await s.watcher.reloadIfChanged() == ["npr"])
        #expect(s.watcher.lastError == nil)
    }

    @Test func deletedFileKeepsTheLastGoodCatalog() async throws {
        let s = try Setup(Self.twoFeeds)
        let good = try await s.watcher.loadInitial()
        try FileManager.default.removeItem(atPath: s.path)

        #expect(await s.watcher.reloadIfChanged() == [])

        #expect(s.watcher.catalog == good)
        #expect(s.watcher.lastError != nil)
        await #expect(try s.activeIDs() == ["bbc", "cnn"])
    }

    @Test func removedPublicationIsDeactivatedButKeepsItsArticles() async throws {
        let s = try Setup(Self.threeFeeds)
        try await s.watcher.loadInitial()
        try await s.store.recordFetchSuccess(publicationID: "npr", articles: [
            ArticleInput(guid: "npr-1", link: "https://npr.example/1", title: "First"),
            ArticleInput(guid: "npr-2", link: "https://npr.example/2", title: "Second"),
        ], etag: nil, lastModified: nil, httpStatus: 200, fetchedAt: s.clock.now, nextDueAt: s.clock.now)

        try await s.write(Self.twoFeeds)
        #expect(await s.watcher.reloadIfChanged() == [])

        await #expect(try s.activeIDs() == ["bbc", "cnn"])
        let npr = try #require(try await s.store.publication(id: "npr"))
        #expect(npr.active == false)
        #expect(try await s.store.articleCount(of: "npr") == 2)
        #expect(try await s.store.duePublications(now: s.clock.now.addingTimeInterval(86400)).map(\.id).contains("npr") == false)

        // Listed again, it comes back with its articles and is due.
        try await s.write(Self.threeFeeds)
        #expect(await s.watcher.reloadIfChanged() == ["npr"])
        #expect(try await s.store.articleCount(of: "npr") == 2)
        #expect(try await s.store.headlines().first { $0.publication.id == "npr" }?.headline?.title == "First")
    }

    @Test func shortFormWorks() async throws {
        let s = try Setup(#"{"bbc": "https://feeds.bbci.co.uk/news/rss.xml", "cnn": "http://rss.cnn.com/rss/edition.rss"}"#)
        let catalog = try await s.watcher.loadInitial()

        #expect(catalog.publications.map(\.id) == ["bbc", "cnn"])
        let stored = try await s.store.publications()
        #expect(stored.map(\.name) == ["bbc", "cnn"])
        #expect(stored.map(\.url) == ["https://feeds.bbci.co.uk/news/rss.xml", "http://rss.cnn.com/rss/edition.rss"])
        #expect(stored.allSatisfy { $0.refreshMinutes == Catalog.defaultRefresh })
    }
}

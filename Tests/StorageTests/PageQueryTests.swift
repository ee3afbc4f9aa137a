import Foundation
import GRDB
@testable import Storage
import StorageTestSupport
import Testing

/// What the list pages read: article counts and change times kept in the publication's row as writes happen (so no
/// page counts articles), and the slices of publications each list shows, in its order.
@Suite("Stored counts and the list pages' queries")
struct PageQueryTests {
    @Test(arguments: StorageEngine.available)
    func articleCountsFollowEveryInsertAndEveryTrim(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        try await store.fetched((1...3).map { item($0) })
        #expect(try await store.publication(id: "bbc")?.articleCount == 3)
        #expect(try await store.articleCount(of: "bbc") == 3)
        try await store.fetched((3...(StoreLimits.articleRetention + 40)).map { item($0) }, at: minute(10))
        #expect(try await store.articleCount(of: "bbc") == StoreLimits.articleRetention + 38, "the latest fetch is kept whole")
        try await store.fetched([item(10_000)], at: minute(20))
        #expect(try await store.articleCount(of: "bbc") == StoreLimits.articleRetention, "trimmed to the limit")
        #expect(try await store.articleCount(of: "cnn") == 0)
        #expect(try await store.articleCount(of: "nope") == 0)
        // Rows written by anyone (another tool, a bulk import) are counted too: the database keeps the count.
        try await writeBehindTheStoresBack(store, sql: """
            INSERT INTO articles (publicationID, dedupeKey, title, firstSeenAt) VALUES ('cnn', 'guid:x', 'x', 0), ('cnn', 'guid:y', 'y', 0)
            """)
        #expect(try await store.articleCount(of: "cnn") == 2)
        try await writeBehindTheStoresBack(store, sql: "DELETE FROM articles WHERE dedupeKey = 'guid:x'")
        #expect(try await store.publication(id: "cnn")?.articleCount == 1)
    }

    @Test(arguments: StorageEngine.available)
    func contentChangesWhenArticlesOrTheHeadlineDoNotOnARepeatOrA304(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        #expect(try await store.publication(id: "bbc")?.contentChangedAt == nil)
        try await store.fetched([item(1), item(2)], at: minute(1))
        #expect(try await store.publication(id: "bbc")?.contentChangedAt == minute(1))
        try await store.fetched([item(1), item(2)], at: minute(2))
        #expect(try await store.publication(id: "bbc")?.contentChangedAt == minute(1), "the same articles again")
        try await store.recordNotModified(publicationID: "bbc", fetchedAt: minute(3), nextDueAt: minute(18))
        #expect(try await store.publication(id: "bbc")?.contentChangedAt == minute(1), "not modified")
        try await store.fetched([item(2), item(1)], at: minute(4))
        #expect(try await store.publication(id: "bbc")?.contentChangedAt == minute(4), "a new headline")
        try await store.fetched([item(2, title: "Story 2, corrected"), item(1)], at: minute(5))
        #expect(try await store.publication(id: "bbc")?.contentChangedAt == minute(5), "a changed article")
        try await store.recordFetchFailure(publicationID: "bbc", error: "HTTP 500", httpStatus: 500, at: minute(6), nextDueAt: minute(7))
        #expect(try await store.publication(id: "bbc")?.contentChangedAt == minute(5), "a failure changes no article")
    }

    /// Five publications: a and b changed (b last), c never fetched, d and e failing (d changed later than e).
    func fiveStates(_ engine: StorageEngine) async throws -> any Store {
        let store = try await engine.makeStore()
        try await store.syncCatalog(["a", "b", "c", "d", "e"].map {
            PublicationConfig(id: $0, name: $0.uppercased(), url: "https://\($0).example/feed", refreshMinutes: 15)
        }, now: epoch)
        try await store.fetched([item(1)], into: "a", at: minute(1))
        try await store.fetched([item(2)], into: "e", at: minute(2))
        try await store.fetched([item(3)], into: "d", at: minute(3))
        try await store.fetched([item(4)], into: "b", at: minute(4))
        for id in ["d", "e"] {
            try await store.recordFetchFailure(publicationID: id, error: "HTTP 503", httpStatus: 503, at: minute(5), nextDueAt: minute(6))
        }
        return store
    }

    @Test(arguments: StorageEngine.available)
    func headlinesComeMostRecentlyChangedFirstNeverFetchedAfterAndFailingLast(engine: StorageEngine) async throws {
        let store = try await fiveStates(engine)
        let all = try await store.headlines(offset: 0, limit: 10)
        #expect(all.total == 5)
        #expect(all.items.map(\.publication.id) == ["b", "a", "c", "d", "e"])
        #expect(all.items.map { $0.headline?.title } == ["Story 4", "Story 1", nil, "Story 3", "Story 2"])
        let second = try await store.headlines(offset: 2, limit: 2)
        #expect(second.items.map(\.publication.id) == ["c", "d"] && second.total == 5)
        #expect(try await store.headlines(offset: 10, limit: 2).items.isEmpty)
    }

    @Test(arguments: StorageEngine.available)
    func statusListsFailingFirstThenTheRestInCatalogOrder(engine: StorageEngine) async throws {
        let store = try await fiveStates(engine)
        let all = try await store.publicationsFailingFirst(offset: 0, limit: 10)
        #expect(all.items.map(\.id) == ["d", "e", "a", "b", "c"] && all.total == 5)
        #expect(try await store.publicationsFailingFirst(offset: 1, limit: 2).items.map(\.id) == ["e", "a"])
        #expect(try await store.publications(offset: 3, limit: 5).items.map(\.id) == ["d", "e"])
    }

    @Test(arguments: StorageEngine.available)
    func theSummaryCountsOkFailingAndWaitingAndFindsTheStalest(engine: StorageEngine) async throws {
        let store = try await fiveStates(engine)
        let summary = try await store.catalogSummary()
        #expect(summary == CatalogSummary(total: 5, failing: 2, waiting: 1, oldestSuccessAt: minute(1)))
        #expect(summary.ok == 2)
        try await store.syncCatalog([], now: epoch)
        #expect(try await store.catalogSummary() == CatalogSummary(total: 0, failing: 0, waiting: 0, oldestSuccessAt: nil))
    }

    /// A database from before the counts were kept gets them (and the change times) when it is opened.
    /// SQLite only: it builds an old schema in a file with GRDB's migrator, below the `Store` interface.
    @Test func upgradingFillsInCountsAndChangeTimes() async throws {
        let folder = try TemporaryFolder()
        let queue = try DatabaseQueue(path: folder.databasePath)
        try Schema.migrator.migrate(queue, upTo: "v3-expiring-session-tokens")
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO publications (id, name, url, refreshMinutes, position, nextDueAt) VALUES ('bbc', 'BBC', 'https://b', 15, 0, 0),
                    ('cnn', 'CNN', 'https://c', 15, 1, 0);
                INSERT INTO articles (publicationID, dedupeKey, firstSeenAt) VALUES ('bbc', 'k1', 100), ('bbc', 'k2', 200);
                """)
        }
        try queue.close()
        let store = try SQLiteStore(path: folder.databasePath)
        let bbc = try #require(try await store.publication(id: "bbc"))
        #expect(bbc.articleCount == 2 && bbc.contentChangedAt == Date(timeIntervalSince1970: 200))
        let cnn = try #require(try await store.publication(id: "cnn"))
        #expect(cnn.articleCount == 0 && cnn.contentChangedAt == nil)
    }
}

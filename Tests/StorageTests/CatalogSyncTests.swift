import Foundation
import Storage
import StorageTestSupport
import Testing

@Suite("Syncing the catalog")
struct CatalogSyncTests {
    @Test(arguments: StorageEngine.available)
    func newPublicationsAreInsertedDueNowInCatalogOrder(engine: StorageEngine) async throws {
        let store = try await engine.makeStore()
        let added = try await store.syncCatalog([cnn, bbc], now: epoch)
        #expect(added == ["cnn", "bbc"])
        let publications = try await store.publications()
        #expect(publications.map(\.id) == ["cnn", "bbc"])
        #expect(publications.map(\.position) == [0, 1])
        let first = try #require(publications.first)
        #expect(first.name == "CNN" && first.url == cnn.url && first.refreshMinutes == 10 && first.active)
        #expect(first.nextDueAt == epoch && first.consecutiveFailures == 0 && first.articleCount == 0)
        #expect(first.etag == nil && first.lastSuccessAt == nil && first.lastError == nil)
        #expect(try await store.duePublications(now: epoch).map(\.id) == ["cnn", "bbc"])
        #expect(try await store.duePublications(now: minute(-1)).isEmpty)
    }

    @Test(arguments: StorageEngine.available)
    func syncingTheSameCatalogAgainAddsNothing(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        #expect(try await store.syncCatalog([bbc, cnn], now: minute(5)).isEmpty)
        #expect(try await store.publication(id: "bbc")?.nextDueAt == epoch)
    }

    @Test(arguments: StorageEngine.available)
    func nameIntervalAndOrderFollowTheCatalogButValidatorsStay(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        try await store.recordFetchSuccess(publicationID: "bbc", articles: [item(1)], etag: "\"v1\"", lastModified: "Wed, 25 Nov 2026 09:00:00 GMT",
                                     httpStatus: 200, fetchedAt: epoch, nextDueAt: minute(15))
        var renamed = bbc
        renamed.name = "BBC World"
        renamed.refreshMinutes = 30
        try await store.syncCatalog([cnn, renamed], now: minute(1))
        let record = try #require(try await store.publication(id: "bbc"))
        #expect(record.name == "BBC World" && record.refreshMinutes == 30 && record.position == 1)
        #expect(record.etag == "\"v1\"" && record.lastModified == "Wed, 25 Nov 2026 09:00:00 GMT")
        #expect(record.nextDueAt == minute(15))
    }

    @Test(arguments: StorageEngine.available)
    func changedURLDropsValidatorsAndIsDueNow(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        try await store.recordFetchSuccess(publicationID: "bbc", articles: [item(1)], etag: "\"v1\"", lastModified: "yesterday",
                                     httpStatus: 200, fetchedAt: epoch, nextDueAt: minute(15))
        var moved = bbc
        moved.url = "https://feeds.bbci.co.uk/news/world/rss.xml"
        #expect(try await store.syncCatalog([moved, cnn], now: minute(2)).isEmpty)
        let record = try #require(try await store.publication(id: "bbc"))
        #expect(record.url == moved.url && record.etag == nil && record.lastModified == nil)
        #expect(record.nextDueAt == minute(2))
        #expect(record.articleCount == 1)
    }

    @Test(arguments: StorageEngine.available)
    func removedPublicationBecomesInactiveAndKeepsArticles(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        try await store.fetched([item(1), item(2)])
        try await store.syncCatalog([cnn], now: minute(1))
        #expect(try await store.publications().map(\.id) == ["cnn"])
        #expect(try await store.duePublications(now: minute(100)).map(\.id) == ["cnn"])
        #expect(try await store.headlines().map(\.publication.id) == ["cnn"])
        let removed = try #require(try await store.publication(id: "bbc"))
        #expect(!removed.active)
        #expect(try await store.articleCount(of: "bbc") == 2)
    }

    @Test(arguments: StorageEngine.available)
    func reAddedPublicationIsActiveAgainAndDue(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        try await store.fetched([item(1)], at: epoch)
        try await store.syncCatalog([cnn], now: minute(1))
        let added = try await store.syncCatalog([bbc, cnn], now: minute(5))
        #expect(added == ["bbc"])
        let record = try #require(try await store.publication(id: "bbc"))
        #expect(record.active && record.position == 0 && record.nextDueAt == minute(5))
        #expect(try await store.currentHeadline(of: "bbc")?.title == "Story 1")
    }

    @Test(arguments: StorageEngine.available)
    func duplicateIDsAreRefusedAndChangeNothing(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        var other = cnn
        other.name = "Another CNN"
        await #expect(throws: StorageError.duplicatePublicationID("cnn")) { try await store.syncCatalog([other, cnn], now: minute(1)) }
        #expect(try await store.publications().map(\.name) == ["BBC News", "CNN"])
    }

    @Test(arguments: StorageEngine.available)
    func emptyCatalogDeactivatesEverything(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        #expect(try await store.syncCatalog([], now: minute(1)).isEmpty)
        #expect(try await store.publications().isEmpty)
        #expect(try await store.publication(id: "bbc")?.active == false)
    }

    @Test(arguments: StorageEngine.available)
    func idsAreCaseSensitive(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        #expect(try await store.publication(id: "BBC") == nil)
        #expect(try await store.publication(id: "bbc") != nil)
    }
}

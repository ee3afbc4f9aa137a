import Foundation
import Testing
import Storage

@Suite("Syncing the catalog")
struct CatalogSyncTests {
    @Test func newPublicationsAreInsertedDueNowInCatalogOrder() throws {
        let store = try Store.temporary()
        let added = try store.syncCatalog([cnn, bbc], now: epoch)
        #expect(added == ["cnn", "bbc"])
        let publications = try store.publications()
        #expect(publications.map(\.id) == ["cnn", "bbc"])
        #expect(publications.map(\.position) == [0, 1])
        let first = try #require(publications.first)
        #expect(first.name == "CNN" && first.url == cnn.url && first.refreshMinutes == 10 && first.active)
        #expect(first.nextDueAt == epoch && first.consecutiveFailures == 0 && first.articleCount == 0)
        #expect(first.etag == nil && first.lastSuccessAt == nil && first.lastError == nil)
        #expect(try store.duePublications(now: epoch).map(\.id) == ["cnn", "bbc"])
        #expect(try store.duePublications(now: minute(-1)).isEmpty)
    }

    @Test func syncingTheSameCatalogAgainAddsNothing() throws {
        let store = try storeWithCatalog()
        #expect(try store.syncCatalog([bbc, cnn], now: minute(5)).isEmpty)
        #expect(try store.publication(id: "bbc")?.nextDueAt == epoch)
    }

    @Test func nameIntervalAndOrderFollowTheCatalogButValidatorsStay() throws {
        let store = try storeWithCatalog()
        try store.recordFetchSuccess(publicationID: "bbc", articles: [item(1)], etag: "\"v1\"", lastModified: "Wed, 25 Nov 2026 09:00:00 GMT",
                                     httpStatus: 200, fetchedAt: epoch, nextDueAt: minute(15))
        var renamed = bbc
        renamed.name = "BBC World"
        renamed.refreshMinutes = 30
        try store.syncCatalog([cnn, renamed], now: minute(1))
        let record = try #require(try store.publication(id: "bbc"))
        #expect(record.name == "BBC World" && record.refreshMinutes == 30 && record.position == 1)
        #expect(record.etag == "\"v1\"" && record.lastModified == "Wed, 25 Nov 2026 09:00:00 GMT")
        #expect(record.nextDueAt == minute(15))
    }

    @Test func changedURLDropsValidatorsAndIsDueNow() throws {
        let store = try storeWithCatalog()
        try store.recordFetchSuccess(publicationID: "bbc", articles: [item(1)], etag: "\"v1\"", lastModified: "yesterday",
                                     httpStatus: 200, fetchedAt: epoch, nextDueAt: minute(15))
        var moved = bbc
        moved.url = "https://feeds.bbci.co.uk/news/world/rss.xml"
        #expect(try store.syncCatalog([moved, cnn], now: minute(2)).isEmpty)
        let record = try #require(try store.publication(id: "bbc"))
        #expect(record.url == moved.url && record.etag == nil && record.lastModified == nil)
        #expect(record.nextDueAt == minute(2))
        #expect(record.articleCount == 1)
    }

    @Test func removedPublicationBecomesInactiveAndKeepsArticles() throws {
        let store = try storeWithCatalog()
        try store.fetched([item(1), item(2)])
        try store.syncCatalog([cnn], now: minute(1))
        #expect(try store.publications().map(\.id) == ["cnn"])
        #expect(try store.duePublications(now: minute(100)).map(\.id) == ["cnn"])
        #expect(try store.headlines().map(\.publication.id) == ["cnn"])
        let removed = try #require(try store.publication(id: "bbc"))
        #expect(!removed.active)
        #expect(try store.articleCount(of: "bbc") == 2)
    }

    @Test func reAddedPublicationIsActiveAgainAndDue() throws {
        let store = try storeWithCatalog()
        try store.fetched([item(1)], at: epoch)
        try store.syncCatalog([cnn], now: minute(1))
        let added = try store.syncCatalog([bbc, cnn], now: minute(5))
        #expect(added == ["bbc"])
        let record = try #require(try store.publication(id: "bbc"))
        #expect(record.active && record.position == 0 && record.nextDueAt == minute(5))
        #expect(try store.currentHeadline(of: "bbc")?.title == "Story 1")
    }

    @Test func duplicateIDsAreRefusedAndChangeNothing() throws {
        let store = try storeWithCatalog()
        var other = cnn
        other.name = "Another CNN"
        #expect(throws: StorageError.duplicatePublicationID("cnn")) { try store.syncCatalog([other, cnn], now: minute(1)) }
        #expect(try store.publications().map(\.name) == ["BBC News", "CNN"])
    }

    @Test func emptyCatalogDeactivatesEverything() throws {
        let store = try storeWithCatalog()
        #expect(try store.syncCatalog([], now: minute(1)).isEmpty)
        #expect(try store.publications().isEmpty)
        #expect(try store.publication(id: "bbc")?.active == false)
    }

    @Test func idsAreCaseSensitive() throws {
        let store = try storeWithCatalog()
        #expect(try store.publication(id: "BBC") == nil)
        #expect(try store.publication(id: "bbc") != nil)
    }
}

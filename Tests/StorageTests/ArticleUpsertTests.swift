import Foundation
import Storage
import StorageTestSupport
import Testing

@Suite("Upserting articles")
struct ArticleUpsertTests {
    @Test(arguments: StorageEngine.available)
    func sameFetchTwiceIsUnchanged(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        let fetch = [item(3), item(2), item(1)]
        #expect(try await store.fetched(fetch, at: epoch) == UpsertSummary(inserted: 3, updated: 0, unchanged: 0))
        let before = try await store.recentArticles(of: "bbc", limit: 10)
        #expect(try await store.fetched(fetch, at: minute(15)) == UpsertSummary(inserted: 0, updated: 0, unchanged: 3))
        #expect(try await store.recentArticles(of: "bbc", limit: 10) == before)
        #expect(try await store.articleCount(of: "bbc") == 3)
    }

    @Test(arguments: StorageEngine.available)
    func onlyRealChangesCountAsUpdatesAndFirstSeenStays(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        try await store.fetched([item(1), item(2)], at: epoch)
        var edited = item(1)
        edited.title = "Story 1 (corrected)"
        edited.updated = minute(20)
        #expect(try await store.fetched([edited, item(2)], at: minute(30)) == UpsertSummary(inserted: 0, updated: 1, unchanged: 1))
        let stored = try #require(try await store.recentArticles(of: "bbc", limit: 10).first { $0.dedupeKey == "guid:guid-1" })
        #expect(stored.title == "Story 1 (corrected)" && stored.updated == minute(20))
        #expect(stored.firstSeenAt == epoch)
        // Changing a field back to nil is a change too.
        edited.updated = nil
        #expect(try await store.fetched([edited, item(2)], at: minute(40)) == UpsertSummary(inserted: 0, updated: 1, unchanged: 1))
    }

    @Test(arguments: StorageEngine.available)
    func subMillisecondDatesRoundTripSoRefetchIsUnchanged(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        var precise = item(1)
        precise.published = Date(timeIntervalSince1970: 1_800_000_000.123456789)
        try await store.fetched([precise])
        #expect(try await store.fetched([precise], at: minute(15)) == UpsertSummary(inserted: 0, updated: 0, unchanged: 1))
        #expect(try await store.currentHeadline(of: "bbc")?.published == precise.published)
    }

    @Test(arguments: StorageEngine.available)
    func dedupeKeyIsGuidThenLinkThenContentHash(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        let byGUID = ArticleInput(guid: "  urn:story:1 ", link: "https://a.example/1", title: "A")
        let byLink = ArticleInput(guid: "   ", link: "https://a.example/2", title: "B")
        let byContent = ArticleInput(title: "C", summary: "no guid, no link")
        try await store.fetched([byGUID, byLink, byContent])
        let keys = try await store.recentArticles(of: "bbc", limit: 10).sorted { ($0.feedPosition ?? 0) < ($1.feedPosition ?? 0) }.map(\.dedupeKey)
        #expect(keys.count == 3)
        #expect(keys[0] == "guid:urn:story:1" && keys[1] == "link:https://a.example/2")
        #expect(keys[2].hasPrefix("hash:") && keys[2].count == "hash:".count + 64)

        // Same guid with a new link and title is the same article; same link without guid too; same content too.
        let moved = ArticleInput(guid: "urn:story:1", link: "https://a.example/moved", title: "A2")
        let sameLink = ArticleInput(link: "https://a.example/2", title: "B")
        let sameContent = ArticleInput(title: "C", summary: "no guid, no link")
        #expect(try await store.fetched([moved, sameLink, sameContent], at: minute(15)) == UpsertSummary(inserted: 0, updated: 1, unchanged: 2))
        #expect(try await store.articleCount(of: "bbc") == 3)
    }

    @Test(arguments: StorageEngine.available)
    func contentHashSeparatesTitleFromSummary(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        let summary = try await store.fetched([ArticleInput(title: "ab", summary: "c"), ArticleInput(title: "a", summary: "bc")])
        #expect(summary.inserted == 2)
    }

    @Test(arguments: StorageEngine.available)
    func sameKeysInDifferentPublicationsAreDifferentArticles(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        try await store.fetched([item(1)], into: "bbc")
        #expect(try await store.fetched([item(1)], into: "cnn").inserted == 1)
        #expect(try await store.articleCount(of: "bbc") == 1)
        #expect(try await store.articleCount(of: "cnn") == 1)
    }

    @Test(arguments: StorageEngine.available)
    func duplicateWithinOneFetchKeepsTheFirstOccurrence(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        let summary = try await store.fetched([item(1), item(2), item(1, title: "Story 1 again"), item(3)])
        #expect(summary == UpsertSummary(inserted: 3, updated: 0, unchanged: 0))
        let articles = try await store.recentArticles(of: "bbc", limit: 10)
        let positions = Dictionary(uniqueKeysWithValues: articles.map { ($0.dedupeKey, $0.feedPosition) })
        #expect(positions == ["guid:guid-1": 0, "guid:guid-2": 1, "guid:guid-3": 2])
        #expect(try await store.currentHeadline(of: "bbc")?.title == "Story 1")
    }

    @Test(arguments: StorageEngine.available)
    func emptyFetchClearsTheHeadlineButKeepsArticles(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        try await store.fetched([item(1)])
        #expect(try await store.fetched([], at: minute(15)) == UpsertSummary())
        #expect(try await store.currentHeadline(of: "bbc") == nil)
        #expect(try await store.articleCount(of: "bbc") == 1)
    }
}

@Suite("Headlines and recent articles")
struct HeadlineTests {
    @Test(arguments: StorageEngine.available)
    func headlineFollowsTheLatestFetchsFirstItem(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        #expect(try await store.currentHeadline(of: "bbc") == nil)
        try await store.fetched([item(1), item(2)], at: epoch)
        #expect(try await store.currentHeadline(of: "bbc")?.title == "Story 1")
        // The publisher promotes an older story: the headline follows the feed, not the dates.
        try await store.fetched([item(2), item(3), item(1)], at: minute(15))
        let headline = try #require(try await store.currentHeadline(of: "bbc"))
        #expect(headline.title == "Story 2" && headline.feedPosition == 0 && headline.publicationID == "bbc")
        // An article that dropped out of the feed has no position.
        try await store.fetched([item(3)], at: minute(30))
        let positions = try await store.recentArticles(of: "bbc", limit: 10).map(\.feedPosition)
        #expect(positions == [0, nil, nil])
    }

    @Test(arguments: StorageEngine.available)
    func headlinesListsActivePublicationsInOrderInOneRead(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        try await store.fetched([item(7)], into: "cnn")
        let entries = try await store.headlines()
        #expect(entries.map(\.publication.id) == ["bbc", "cnn"])
        #expect(entries[0].headline == nil)
        #expect(entries[1].headline?.title == "Story 7" && entries[1].publication.articleCount == 1)
    }

    @Test(arguments: StorageEngine.available)
    func recentArticlesAreNewestFirstThenFeedOrderAndLimited(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        let undatedA = ArticleInput(guid: "undated-a", title: "Undated A")
        let undatedB = ArticleInput(guid: "undated-b", title: "Undated B")
        // Undated articles sort by when they were first seen: minute(10), between Story 5 and Story 20.
        try await store.fetched([item(5), undatedA, item(20), undatedB, item(1)], at: minute(10))
        let titles = try await store.recentArticles(of: "bbc", limit: 10).map(\.title)
        #expect(titles == ["Story 20", "Undated A", "Undated B", "Story 5", "Story 1"])
        #expect(try await store.recentArticles(of: "bbc", limit: 2).map(\.title) == ["Story 20", "Undated A"])
        #expect(try await store.recentArticles(of: "bbc", limit: 0).isEmpty)
        #expect(try await store.recentArticles(of: "bbc", limit: -5).isEmpty)
        #expect(try await store.recentArticles(of: "unknown", limit: 5).isEmpty)
    }
}

@Suite("Retention")
struct RetentionTests {
    @Test(arguments: StorageEngine.available)
    func keepsNewest500AndNeverTheLatestFetch(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        // 600 articles in six fetches of 100, each newer than the last.
        for batch in 0..<6 {
            let articles = (0..<100).map { item(batch * 100 + $0) }
            try await store.fetched(articles, at: minute(Double(batch * 100)))
        }
        #expect(try await store.articleCount(of: "bbc") == StoreLimits.articleRetention)
        let kept = try await store.recentArticles(of: "bbc", limit: 1000)
        #expect(kept.first?.title == "Story 599" && kept.last?.title == "Story 100")

        // A latest fetch of ten old-dated stories is kept beyond the limit…
        let old = (0..<10).map { item(-1000 - $0) }
        try await store.fetched(old, at: minute(700))
        #expect(try await store.articleCount(of: "bbc") == 510)
        #expect(try await store.currentHeadline(of: "bbc")?.title == "Story -1000")
        // …and trimmed once a newer fetch replaces it.
        try await store.fetched([item(600)], at: minute(800))
        #expect(try await store.articleCount(of: "bbc") == 500)
        #expect(try await store.recentArticles(of: "bbc", limit: 1000).last?.title == "Story 101")
    }

    @Test(arguments: StorageEngine.available)
    func latestFetchLargerThanTheLimitIsKeptWhole(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        try await store.fetched((0..<520).map { item($0) })
        #expect(try await store.articleCount(of: "bbc") == 520)
        #expect(try await store.articleCount(of: "cnn") == 0)
    }

    @Test(arguments: StorageEngine.available)
    func retentionTrimsEveryPublicationButNeverItsLatestFetch(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        try await store.fetched((1...6).map { item($0) }, into: "bbc", at: epoch)
        try await store.fetched([item(7)], into: "bbc", at: minute(10))
        try await store.fetched((1...2).map { item($0) }, into: "cnn", at: epoch)
        #expect(try await store.applyArticleRetention(keep: 3) == 4)
        #expect(try await store.recentArticles(of: "bbc", limit: 10).compactMap(\.title) == ["Story 7", "Story 6", "Story 5"])
        #expect(try await store.articleCount(of: "cnn") == 2)
        // The latest fetch stays even past the limit.
        #expect(try await store.applyArticleRetention(keep: 0) == 2)
        #expect(try await store.recentArticles(of: "bbc", limit: 10).compactMap(\.title) == ["Story 7"])
        try await store.optimize()
    }
}

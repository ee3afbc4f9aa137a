import Foundation
import Testing
import Storage

@Suite("Upserting articles")
struct ArticleUpsertTests {
    @Test func sameFetchTwiceIsUnchanged() throws {
        let store = try storeWithCatalog()
        let fetch = [item(3), item(2), item(1)]
        #expect(try store.fetched(fetch, at: epoch) == UpsertSummary(inserted: 3, updated: 0, unchanged: 0))
        let before = try store.recentArticles(of: "bbc", limit: 10)
        #expect(try store.fetched(fetch, at: minute(15)) == UpsertSummary(inserted: 0, updated: 0, unchanged: 3))
        #expect(try store.recentArticles(of: "bbc", limit: 10) == before)
        #expect(try store.articleCount(of: "bbc") == 3)
    }

    @Test func onlyRealChangesCountAsUpdatesAndFirstSeenStays() throws {
        let store = try storeWithCatalog()
        try store.fetched([item(1), item(2)], at: epoch)
        var edited = item(1)
        edited.title = "Story 1 (corrected)"
        edited.updated = minute(20)
        #expect(try store.fetched([edited, item(2)], at: minute(30)) == UpsertSummary(inserted: 0, updated: 1, unchanged: 1))
        let stored = try #require(try store.recentArticles(of: "bbc", limit: 10).first { $0.dedupeKey == "guid:guid-1" })
        #expect(stored.title == "Story 1 (corrected)" && stored.updated == minute(20))
        #expect(stored.firstSeenAt == epoch)
        // Changing a field back to nil is a change too.
        edited.updated = nil
        #expect(try store.fetched([edited, item(2)], at: minute(40)) == UpsertSummary(inserted: 0, updated: 1, unchanged: 1))
    }

    @Test func subMillisecondDatesRoundTripSoRefetchIsUnchanged() throws {
        let store = try storeWithCatalog()
        var precise = item(1)
        precise.published = Date(timeIntervalSince1970: 1_800_000_000.123456789)
        try store.fetched([precise])
        #expect(try store.fetched([precise], at: minute(15)) == UpsertSummary(inserted: 0, updated: 0, unchanged: 1))
        #expect(try store.currentHeadline(of: "bbc")?.published == precise.published)
    }

    @Test func dedupeKeyIsGuidThenLinkThenContentHash() throws {
        let store = try storeWithCatalog()
        let byGUID = ArticleInput(guid: "  urn:story:1 ", link: "https://a.example/1", title: "A")
        let byLink = ArticleInput(guid: "   ", link: "https://a.example/2", title: "B")
        let byContent = ArticleInput(title: "C", summary: "no guid, no link")
        try store.fetched([byGUID, byLink, byContent])
        let keys = try store.recentArticles(of: "bbc", limit: 10).sorted { ($0.feedPosition ?? 0) < ($1.feedPosition ?? 0) }.map(\.dedupeKey)
        #expect(keys.count == 3)
        #expect(keys[0] == "guid:urn:story:1" && keys[1] == "link:https://a.example/2")
        #expect(keys[2].hasPrefix("hash:") && keys[2].count == "hash:".count + 64)

        // Same guid with a new link and title is the same article; same link without guid too; same content too.
        let moved = ArticleInput(guid: "urn:story:1", link: "https://a.example/moved", title: "A2")
        let sameLink = ArticleInput(link: "https://a.example/2", title: "B")
        let sameContent = ArticleInput(title: "C", summary: "no guid, no link")
        #expect(try store.fetched([moved, sameLink, sameContent], at: minute(15)) == UpsertSummary(inserted: 0, updated: 1, unchanged: 2))
        #expect(try store.articleCount(of: "bbc") == 3)
    }

    @Test func contentHashSeparatesTitleFromSummary() throws {
        let store = try storeWithCatalog()
        let summary = try store.fetched([ArticleInput(title: "ab", summary: "c"), ArticleInput(title: "a", summary: "bc")])
        #expect(summary.inserted == 2)
    }

    @Test func sameKeysInDifferentPublicationsAreDifferentArticles() throws {
        let store = try storeWithCatalog()
        try store.fetched([item(1)], into: "bbc")
        #expect(try store.fetched([item(1)], into: "cnn").inserted == 1)
        #expect(try store.articleCount(of: "bbc") == 1 && store.articleCount(of: "cnn") == 1)
    }

    @Test func duplicateWithinOneFetchKeepsTheFirstOccurrence() throws {
        let store = try storeWithCatalog()
        let summary = try store.fetched([item(1), item(2), item(1, title: "Story 1 again"), item(3)])
        #expect(summary == UpsertSummary(inserted: 3, updated: 0, unchanged: 0))
        let articles = try store.recentArticles(of: "bbc", limit: 10)
        let positions = Dictionary(uniqueKeysWithValues: articles.map { ($0.dedupeKey, $0.feedPosition) })
        #expect(positions == ["guid:guid-1": 0, "guid:guid-2": 1, "guid:guid-3": 2])
        #expect(try store.currentHeadline(of: "bbc")?.title == "Story 1")
    }

    @Test func emptyFetchClearsTheHeadlineButKeepsArticles() throws {
        let store = try storeWithCatalog()
        try store.fetched([item(1)])
        #expect(try store.fetched([], at: minute(15)) == UpsertSummary())
        #expect(try store.currentHeadline(of: "bbc") == nil)
        #expect(try store.articleCount(of: "bbc") == 1)
    }
}

@Suite("Headlines and recent articles")
struct HeadlineTests {
    @Test func headlineFollowsTheLatestFetchsFirstItem() throws {
        let store = try storeWithCatalog()
        #expect(try store.currentHeadline(of: "bbc") == nil)
        try store.fetched([item(1), item(2)], at: epoch)
        #expect(try store.currentHeadline(of: "bbc")?.title == "Story 1")
        // The publisher promotes an older story: the headline follows the feed, not the dates.
        try store.fetched([item(2), item(3), item(1)], at: minute(15))
        let headline = try #require(try store.currentHeadline(of: "bbc"))
        #expect(headline.title == "Story 2" && headline.feedPosition == 0 && headline.publicationID == "bbc")
        // An article that dropped out of the feed has no position.
        try store.fetched([item(3)], at: minute(30))
        let positions = try store.recentArticles(of: "bbc", limit: 10).map(\.feedPosition)
        #expect(positions == [0, nil, nil])
    }

    @Test func headlinesListsActivePublicationsInOrderInOneRead() throws {
        let store = try storeWithCatalog()
        try store.fetched([item(7)], into: "cnn")
        let entries = try store.headlines()
        #expect(entries.map(\.publication.id) == ["bbc", "cnn"])
        #expect(entries[0].headline == nil)
        #expect(entries[1].headline?.title == "Story 7" && entries[1].publication.articleCount == 1)
    }

    @Test func recentArticlesAreNewestFirstThenFeedOrderAndLimited() throws {
        let store = try storeWithCatalog()
        let undatedA = ArticleInput(guid: "undated-a", title: "Undated A")
        let undatedB = ArticleInput(guid: "undated-b", title: "Undated B")
        // Undated articles sort by when they were first seen: minute(10), between Story 5 and Story 20.
        try store.fetched([item(5), undatedA, item(20), undatedB, item(1)], at: minute(10))
        let titles = try store.recentArticles(of: "bbc", limit: 10).map(\.title)
        #expect(titles == ["Story 20", "Undated A", "Undated B", "Story 5", "Story 1"])
        #expect(try store.recentArticles(of: "bbc", limit: 2).map(\.title) == ["Story 20", "Undated A"])
        #expect(try store.recentArticles(of: "bbc", limit: 0).isEmpty)
        #expect(try store.recentArticles(of: "bbc", limit: -5).isEmpty)
        #expect(try store.recentArticles(of: "unknown", limit: 5).isEmpty)
    }
}

@Suite("Retention")
struct RetentionTests {
    @Test func keepsNewest500AndNeverTheLatestFetch() throws {
        let store = try storeWithCatalog()
        // 600 articles in six fetches of 100, each newer than the last.
        for batch in 0..<6 {
            let articles = (0..<100).map { item(batch * 100 + $0) }
            try store.fetched(articles, at: minute(Double(batch * 100)))
        }
        #expect(try store.articleCount(of: "bbc") == Store.articleRetentionLimit)
        let kept = try store.recentArticles(of: "bbc", limit: 1000)
        #expect(kept.first?.title == "Story 599" && kept.last?.title == "Story 100")

        // A latest fetch of ten old-dated stories is kept beyond the limit…
        let old = (0..<10).map { item(-1000 - $0) }
        try store.fetched(old, at: minute(700))
        #expect(try store.articleCount(of: "bbc") == 510)
        #expect(try store.currentHeadline(of: "bbc")?.title == "Story -1000")
        // …and trimmed once a newer fetch replaces it.
        try store.fetched([item(600)], at: minute(800))
        #expect(try store.articleCount(of: "bbc") == 500)
        #expect(try store.recentArticles(of: "bbc", limit: 1000).last?.title == "Story 101")
    }

    @Test func latestFetchLargerThanTheLimitIsKeptWhole() throws {
        let store = try storeWithCatalog()
        try store.fetched((0..<520).map { item($0) })
        #expect(try store.articleCount(of: "bbc") == 520)
        #expect(try store.articleCount(of: "cnn") == 0)
    }
}

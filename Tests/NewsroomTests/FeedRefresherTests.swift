import Foundation
import Testing
import Curl
import Feeds
import Storage
import TestSupport
@testable import Newsroom

/// FeedRefresher against real parts: CurlClient → LoopbackHTTPServer serving the real fixtures → a real SQLite file.
@Suite struct FeedRefresherTests {
    @Test func firstFetchStoresArticlesAndTheFirstItemIsTheHeadline() async throws {
        let bytes = try RealFeeds.bytes(RealFeeds.bbc)
        let server = try LoopbackHTTPServer.serving(files: ["/news/rss.xml": (contentType: "application/rss+xml", bytes: bytes)])
        let h = try RefresherHarness()
        try await h.register([("bbc", server.baseURL + "/news/rss.xml")])

        let result = await h.refresher.refresh(try h.record("bbc"))

        let expected = try FeedParser.parse(bytes)
        #expect(result.status == .updated(inserted: expected.entries.count, updated: 0))
        #expect(result.httpStatus == 200)
        #expect(result.articleCount == expected.entries.count)
        await #expect(try h.headline("bbc") == RealFeeds.bbcFirstTitle)
        await #expect(try h.headline("bbc") == expected.entries.first?.title)
        let record = try await h.record("bbc")
        #expect(record.articleCount == expected.entries.count)
        #expect(record.consecutiveFailures == 0)
        #expect(record.lastSuccessAt == h.clock.now)
        #expect(record.etag != nil)
        #expect(record.nextDueAt == h.clock.now.addingTimeInterval(15 * 60))
        let sent = try #require(server.requests.first)
        #expect(sent.header("Accept")?.contains("application/rss+xml") == true)
        #expect(sent.header("If-None-Match") == nil)
    }

    @Test func etagIsSentBackAnd304LeavesArticlesUntouched() async throws {
        let server = try LoopbackHTTPServer.serving(files: ["/feed": ServedFile(contentType: "application/rss+xml", bytes: try RealFeeds.bytes(RealFeeds.bbc), etag: "\"bbc-v1\"")])
        let h = try RefresherHarness()
        try await h.register([("bbc", server.baseURL + "/feed")])
        _ = try await h.refresh("bbc")
        let before = try await h.articles("bbc")
        await #expect(try h.record("bbc").etag == "\"bbc-v1\"")

        h.clock.advance(by: 20 * 60)
        let result = try await h.refresh("bbc")

        #expect(result.status == .notModified)
        #expect(result.httpStatus == 304)
        let second = try #require(server.requests.last)
        #expect(server.requests.count == 2)
        #expect(second.header("If-None-Match") == "\"bbc-v1\"")
        await #expect(try h.articles("bbc") == before)
        await #expect(try h.headline("bbc") == RealFeeds.bbcFirstTitle)
        let record = try await h.record("bbc")
        #expect(record.lastSuccessAt == h.clock.now)
        #expect(record.lastHTTPStatus == 304)
        #expect(record.etag == "\"bbc-v1\"")
        #expect(record.nextDueAt == h.clock.now.addingTimeInterval(15 * 60))
    }

    @Test func lastModifiedIsSentBackAsIfModifiedSince() async throws {
        let site = try FeedSite()
        let stamp = "Fri, 24 Nov 2023 14:59:44 GMT"
        site.setFeed("/feed", try RealFeeds.bytes(RealFeeds.bbc), lastModified: stamp)
        let h = try RefresherHarness()
        try await h.register([("bbc", site.url("/feed"))])
        #expect(try await h.refresh("bbc").status.isUpdated)
        await #expect(try h.record("bbc").lastModified == stamp)
        await #expect(try h.record("bbc").etag == nil)
        let before = try await h.articles("bbc")

        h.clock.advance(by: 20 * 60)
        let result = try await h.refresh("bbc")

        #expect(result.status == .notModified)
        let second = try #require(site.requests(to: "/feed").last)
        #expect(second.header("If-Modified-Since") == stamp)
        #expect(second.header("If-None-Match") == nil)
        await #expect(try h.articles("bbc") == before)
    }

    @Test func redirectChainIsFollowed() async throws {
        let site = try FeedSite()
        site.set("/old", .scripted(.redirect(to: "/moved", status: 301)))
        site.set("/moved", .scripted(.redirect(to: site.url("/feed.xml"), status: 302)))
        site.setFeed("/feed.xml", try RealFeeds.bytes(RealFeeds.cnn))
        let h = try RefresherHarness()
        try await h.register([("cnn", site.url("/old"))])

        let result = try await h.refresh("cnn")

        #expect(result.status.isUpdated, "\(result.status)")
        #expect(result.httpStatus == 200)
        #expect(site.server.requests.map(\.path) == ["/old", "/moved", "/feed.xml"])
        await #expect(try h.headline("cnn") == FeedParser.parse(try RealFeeds.bytes(RealFeeds.cnn)).entries.first?.title)
    }

    @Test func redirectLoopIsRecordedAsFailureAndKeepsArticles() async throws {
        let site = try FeedSite()
        site.setFeed("/feed", try RealFeeds.bytes(RealFeeds.bbc))
        let h = try RefresherHarness()
        try await h.register([("bbc", site.url("/feed"))])
        _ = try await h.refresh("bbc")
        let before = try await h.articles("bbc")

        site.set("/feed", .scripted(.redirect(to: "/feed")))
        h.clock.advance(by: 20 * 60)
        let result = try await h.refresh("bbc")

        let message = try #require(result.status.failureMessage)
        #expect(message.contains("redirects"), "\(message)")
        let record = try await h.record("bbc")
        #expect(record.consecutiveFailures == 1)
        #expect(record.lastError == message)
        await #expect(try h.articles("bbc") == before)
        await #expect(try h.headline("bbc") == RealFeeds.bbcFirstTitle)
    }

    @Test(arguments: [404, 500])
    func httpErrorBacksOffAndTheBackoffGrows(status: Int) async throws {
        let site = try FeedSite()
        site.set("/feed", .scripted(.text("nope", status: status)))
        let h = try RefresherHarness()
        try await h.register([("broken", site.url("/feed"))])

        // Failure n waits 1 min · 2^(n-1), scaled by jitter into [half, whole].
        for (failures, base) in [(1, 60.0), (2, 120.0), (3, 240.0)] {
            let now = h.clock.now
            let result = try await h.refresh("broken")
            #expect(result.status == .failed("HTTP \(status)"))
            #expect(result.httpStatus == status)
            let record = try await h.record("broken")
            #expect(record.consecutiveFailures == failures)
            #expect(record.lastHTTPStatus == status)
            #expect(record.lastError == "HTTP \(status)")
            #expect(record.failingSince == TestClock.start)
            // Through SQLite REAL seconds a fractional time keeps microseconds, not every bit.
            #expect(abs(record.nextDueAt.timeIntervalSince(result.nextDueAt)) < 0.001)
            #expect(record.nextDueAt >= now.addingTimeInterval(base / 2) && record.nextDueAt <= now.addingTimeInterval(base),
                    "failure \(failures): due \(record.nextDueAt.timeIntervalSince(now)) s later")
            #expect(try await h.store.duePublications(now: now).isEmpty)
            h.clock.advance(by: record.nextDueAt.timeIntervalSince(now))
        }
        #expect(site.requests(to: "/feed").count == 3)
    }

    @Test func retryAfterOn429IsHonoured() async throws {
        let site = try FeedSite()
        site.set("/feed", .scripted(.text("slow down", status: 429, headers: [(name: "Retry-After", value: "3600")])))
        let h = try RefresherHarness()
        try await h.register([("bbc", site.url("/feed"))])

        let result = try await h.refresh("bbc")

        #expect(result.status == .failed("HTTP 429"))
        await #expect(try h.record("bbc").nextDueAt >= h.clock.now.addingTimeInterval(3600))
        await #expect(try h.record("bbc").consecutiveFailures == 1)
    }

    @Test func gzipEncodedFeedIsDecodedAndParsed() async throws {
        let site = try FeedSite()
        let gzipped = try RealFeeds.gzipped(RealFeeds.bbc)
        #expect(gzipped.starts(with: [0x1f, 0x8b]))
        site.set("/feed.gz", .scripted(ScriptedResponse(status: 200, headers: [
            (name: "Content-Type", value: "application/rss+xml"), (name: "Content-Encoding", value: "gzip"),
        ], body: gzipped)))
        let h = try RefresherHarness()
        try await h.register([("bbc", site.url("/feed.gz"))])

        let result = try await h.refresh("bbc")

        #expect(result.status.isUpdated, "\(result.status)")
        await #expect(try h.headline("bbc") == RealFeeds.bbcFirstTitle)
        #expect(site.requests(to: "/feed.gz").first?.header("Accept-Encoding")?.contains("gzip") == true)
    }

    @Test func endlessBodyOverTheCapFailsAndKeepsArticles() async throws {
        let site = try FeedSite()
        site.setFeed("/feed", try RealFeeds.bytes(RealFeeds.bbc))
        let h = try RefresherHarness()
        try await h.register([("bbc", site.url("/feed"))])
        _ = try await h.refresh("bbc")
        let before = try await h.articles("bbc")

        site.set("/feed", .scripted(ScriptedResponse(status: 200, headers: [(name: "Content-Type", value: "application/rss+xml")], behaviour: .endlessBody)))
        h.clock.advance(by: 20 * 60)
        let result = try await h.refresh("bbc")

        #expect(result.status == .failed(CurlError.tooLarge(limit: FeedRefresher.maxFeedBytes).description))
        await #expect(try h.articles("bbc") == before)
        await #expect(try h.record("bbc").consecutiveFailures == 1)
    }

    @Test func stallingServerFailsAfterTheTimeout() async throws {
        let site = try FeedSite()
        site.set("/feed", .scripted(ScriptedResponse(behaviour: .stallBeforeHeaders(seconds: 60))))
        let h = try RefresherHarness(transferTimeout: .seconds(1))
        try await h.register([("slow", site.url("/feed"))])

        let result = try await h.refresh("slow")

        #expect(result.status == .failed(CurlError.timeout.description))
        #expect(result.httpStatus == nil)
        let record = try await h.record("slow")
        #expect(record.consecutiveFailures == 1)
        #expect(record.lastHTTPStatus == nil)
        #expect(record.lastError == CurlError.timeout.description)
    }

    @Test func changedFeedInsertsNewArticlesAndTheHeadlineFollows() async throws {
        let site = try FeedSite()
        site.setFeed("/feed", try RealFeeds.bytes(RealFeeds.bbc), etag: "\"v1\"")
        let h = try RefresherHarness()
        try await h.register([("bbc", site.url("/feed"))])
        _ = try await h.refresh("bbc")
        let before = try await h.articles("bbc")

        let changed = try RealFeeds.bbcWithNewTopStory(guid: "urn:test:breaking-1", title: "Breaking: loopback test story", droppingOriginalFirst: true)
        site.setFeed("/feed", changed, etag: "\"v2\"")
        h.clock.advance(by: 20 * 60)
        let result = try await h.refresh("bbc")

        #expect(result.status == .updated(inserted: 1, updated: 0))
        #expect(site.requests(to: "/feed").last?.header("If-None-Match") == "\"v1\"")
        await #expect(try h.headline("bbc") == "Breaking: loopback test story")
        let after = try await h.articles("bbc")
        #expect(after.count == before.count + 1)
        // The story that left the feed stays stored, only no longer the headline.
        let oldTop = try #require(after.first { $0.title == RealFeeds.bbcFirstTitle })
        #expect(oldTop.feedPosition != 0)
        #expect(Set(before.map(\.dedupeKey)).isSubset(of: Set(after.map(\.dedupeKey))))
        await #expect(try h.record("bbc").etag == "\"v2\"")
    }

    @Test func illFormedButRecoverableFeedStillStoresEntries() async throws {
        // Cut off mid-document, as a dropped connection would leave it: libxml2 recovers the items before the cut.
        let text = try RealFeeds.text(RealFeeds.bbc)
        let cut = try #require(text.range(of: "</item>", options: .backwards)).lowerBound
        let truncated = Array(text[..<cut].utf8)
        let parsed = try FeedParser.parse(truncated)
        #expect(parsed.bozo)
        let site = try FeedSite()
        site.setFeed("/feed", truncated)
        let h = try RefresherHarness()
        try await h.register([("bbc", site.url("/feed"))])

        let result = try await h.refresh("bbc")

        #expect(result.status.isUpdated, "\(result.status)")
        #expect(result.articleCount >= parsed.entries.count - 1 && result.articleCount > 0)
        await #expect(try h.headline("bbc") == RealFeeds.bbcFirstTitle)
        await #expect(try h.record("bbc").consecutiveFailures == 0)
    }

    @Test(arguments: [
        "this is not XML at all",
        "<html><body><h1>Site maintenance</h1></body></html>",
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Empty</title></channel></rss>",
        "   \n",
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>No entries</title></feed>",
        // Truncated: recovery yields one item with nothing in it, which must not replace the headline.
        "<rss><channel><item>",
        "<rss version=\"2.0\"><channel><item><description>   </description></item></channel></rss>",
    ])
    func unusableFeedFailsAndTheLastGoodHeadlineStays(body: String) async throws {
        let site = try FeedSite()
        site.setFeed("/feed", try RealFeeds.bytes(RealFeeds.bbc))
        let h = try RefresherHarness()
        try await h.register([("bbc", site.url("/feed"))])
        _ = try await h.refresh("bbc")
        let before = try await h.articles("bbc")

        site.setFeed("/feed", Array(body.utf8))
        h.clock.advance(by: 20 * 60)
        let result = try await h.refresh("bbc")

        #expect(result.status.failureMessage != nil, "\(result.status)")
        #expect(result.httpStatus == 200)
        await #expect(try h.headline("bbc") == RealFeeds.bbcFirstTitle)
        await #expect(try h.articles("bbc") == before)
        await #expect(try h.record("bbc").consecutiveFailures == 1)
        await #expect(try h.record("bbc").lastError == result.status.failureMessage)
    }

    @Test(arguments: [
        ScriptedResponse.Behaviour.closeWithoutResponse,
        .rawBytes,
        .declaredLength(1_000_000),
    ])
    func brokenResponseIsRecordedAndArticlesKept(behaviour: ScriptedResponse.Behaviour) async throws {
        let site = try FeedSite()
        site.setFeed("/feed", try RealFeeds.bytes(RealFeeds.bbc))
        let h = try RefresherHarness()
        try await h.register([("bbc", site.url("/feed"))])
        _ = try await h.refresh("bbc")
        let before = try await h.articles("bbc")

        let garbage = Array("SSH-2.0-OpenSSH_9.6\r\n\u{0}\u{1}not http at all".utf8)
        let partialFeed = Array(try RealFeeds.bytes(RealFeeds.bbc).prefix(4000))
        site.set("/feed", .scripted(ScriptedResponse(status: 200, headers: [(name: "Content-Type", value: "application/rss+xml")],
                                                     body: behaviour == .rawBytes ? garbage : partialFeed, behaviour: behaviour)))
        h.clock.advance(by: 20 * 60)
        let result = try await h.refresh("bbc")

        #expect(result.status.failureMessage != nil, "\(result.status)")
        await #expect(try h.articles("bbc") == before)
        await #expect(try h.headline("bbc") == RealFeeds.bbcFirstTitle)
        await #expect(try h.record("bbc").consecutiveFailures == 1)
    }

    @Test func unreachableServerIsRecordedAsFailure() async throws {
        let site = try FeedSite()
        let url = site.url("/feed")
        site.server.stop()  // the port is now closed: connection refused
        let h = try RefresherHarness()
        try await h.register([("gone", url)])

        let result = try await h.refresh("gone")

        #expect(result.status == .failed(CurlError.connect(host: "127.0.0.1").description))
        await #expect(try h.record("gone").lastHTTPStatus == nil)
        await #expect(try h.record("gone").consecutiveFailures == 1)
    }

    @Test func entityBombIsNotExpandedIntoStorage() async throws {
        let bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
            <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
            <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
            <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]>
            <rss version="2.0"><channel><title>t</title><item><title>&g;</title><guid>bomb</guid></item></channel></rss>
            """
        let site = try FeedSite()
        site.setFeed("/feed", Array(bomb.utf8))
        let h = try RefresherHarness()
        try await h.register([("bomb", site.url("/feed"))])

        let result = try await h.refresh("bomb")

        // Refused outright, or stored without the expansion: never 50 MB of "a" in a title.
        let stored = try await h.articles("bomb")
        #expect(stored.allSatisfy { ($0.title?.utf8.count ?? 0) < 100_000 })
        if result.status.failureMessage != nil { #expect(stored.isEmpty) }
    }

    @Test func oneFailingFeedDoesNotAffectAnother() async throws {
        let site = try FeedSite()
        site.setFeed("/bbc", try RealFeeds.bytes(RealFeeds.bbc))
        site.set("/broken", .scripted(.text("boom", status: 500)))
        site.setFeed("/npr", try RealFeeds.bytes(RealFeeds.npr))
        let h = try RefresherHarness()
        try await h.register([("bbc", site.url("/bbc")), ("broken", site.url("/broken")), ("npr", site.url("/npr"))])

        let results = await h.refresher.refresh(try h.store.publications())

        #expect(results.map(\.publicationID) == ["bbc", "broken", "npr"])
        #expect(results[0].status.isUpdated)
        #expect(results[1].status == .failed("HTTP 500"))
        #expect(results[2].status.isUpdated)
        await #expect(try h.headline("bbc") == RealFeeds.bbcFirstTitle)
        await #expect(try h.headline("npr") == FeedParser.parse(try RealFeeds.bytes(RealFeeds.npr)).entries.first?.title)
        await #expect(try h.headline("broken") == nil)
        await #expect(try h.record("bbc").consecutiveFailures == 0)
        await #expect(try h.record("npr").consecutiveFailures == 0)
        await #expect(try h.record("broken").consecutiveFailures == 1)
    }

    @Test func publicationListedTwiceIsFetchedOnce() async throws {
        let site = try FeedSite()
        site.setFeed("/bbc", try RealFeeds.bytes(RealFeeds.bbc))
        let h = try RefresherHarness()
        try await h.register([("bbc", site.url("/bbc"))])
        let bbc = try await h.record("bbc")

        let results = await h.refresher.refresh([bbc, bbc])

        #expect(results.map(\.publicationID) == ["bbc"])
        #expect(site.requests(to: "/bbc").count == 1)
    }

    @Test func refreshDueFetchesOnlyDuePublications() async throws {
        let site = try FeedSite()
        site.setFeed("/often", try RealFeeds.bytes(RealFeeds.bbc))
        site.setFeed("/hourly", try RealFeeds.bytes(RealFeeds.npr))
        let h = try RefresherHarness()
        try await h.store.syncCatalog([
            PublicationConfig(id: "often", name: "Often", url: site.url("/often"), refreshMinutes: 15),
            PublicationConfig(id: "hourly", name: "Hourly", url: site.url("/hourly"), refreshMinutes: 60),
        ], now: h.clock.now)

        #expect(await h.refresher.refreshDue().map(\.publicationID).sorted() == ["hourly", "often"])
        #expect(await h.refresher.refreshDue().isEmpty)
        #expect(site.server.requests.count == 2)

        h.clock.advance(by: 16 * 60)
        #expect(await h.refresher.refreshDue().map(\.publicationID) == ["often"])
        #expect(site.requests(to: "/hourly").count == 1)
        #expect(site.requests(to: "/often").count == 2)

        h.clock.advance(by: 45 * 60)
        #expect(await h.refresher.refreshDue().map(\.publicationID).sorted() == ["hourly", "often"])
    }

    @Test func successResetsConsecutiveFailures() async throws {
        let site = try FeedSite()
        site.set("/feed", .sequence([.text("down", status: 503), .text("down", status: 503),
                                     ScriptedResponse(status: 200, headers: [(name: "Content-Type", value: "application/rss+xml")], body: try RealFeeds.bytes(RealFeeds.bbc))]))
        let h = try RefresherHarness()
        try await h.register([("bbc", site.url("/feed"))])

        _ = try await h.refresh("bbc")
        _ = try await h.refresh("bbc")
        await #expect(try h.record("bbc").consecutiveFailures == 2)
        let result = try await h.refresh("bbc")

        #expect(result.status.isUpdated)
        let record = try await h.record("bbc")
        #expect(record.consecutiveFailures == 0)
        #expect(record.lastError == nil)
        #expect(record.failingSince == nil)
        #expect(record.nextDueAt == h.clock.now.addingTimeInterval(15 * 60))
    }

    @Test func staleRecordStillSendsStoredValidatorsAndGrowsTheBackoff() async throws {
        let site = try FeedSite()
        site.setFeed("/feed", try RealFeeds.bytes(RealFeeds.bbc), etag: "\"v1\"")
        let h = try RefresherHarness(jitter: { 0 })
        try await h.register([("bbc", site.url("/feed"))])
        let listedBeforeAnyFetch = try await h.record("bbc")
        _ = await h.refresher.refresh(listedBeforeAnyFetch)

        // The caller hands in the record it listed before the first fetch (no ETag, no failures in it).
        #expect(await h.refresher.refresh(listedBeforeAnyFetch).status == .notModified)
        #expect(site.requests(to: "/feed").last?.header("If-None-Match") == "\"v1\"")

        site.set("/feed", .scripted(.text("down", status: 500)))
        _ = await h.refresher.refresh(listedBeforeAnyFetch)
        let now = h.clock.now
        let second = await h.refresher.refresh(listedBeforeAnyFetch)
        await #expect(try h.record("bbc").consecutiveFailures == 2)
        #expect(second.nextDueAt == now.addingTimeInterval(60), "the second failure waits 2 min × jitter 0.5")
    }

    @Test func cacheHeadersAndTTLSetTheNextFetch() async throws {
        let site = try FeedSite()
        let h = try RefresherHarness()
        let bbc = try RealFeeds.bytes(RealFeeds.bbc)
        site.setFeed("/ttl", try RealFeeds.bbcWithTTL(minutes: 120))
        site.setFeed("/max-age", bbc, extraHeaders: [(name: "Cache-Control", value: "public, max-age=5400")])
        site.setFeed("/expires", bbc, extraHeaders: [(name: "Expires", value: httpDate(h.clock.now.addingTimeInterval(3 * 3600)))])
        site.setFeed("/far", bbc, extraHeaders: [(name: "Cache-Control", value: "max-age=9999999")])
        site.setFeed("/short", bbc, extraHeaders: [(name: "Cache-Control", value: "max-age=60")])
        try await h.register([("ttl", site.url("/ttl")), ("max-age", site.url("/max-age")), ("expires", site.url("/expires")),
                        ("far", site.url("/far")), ("short", site.url("/short"))])

        let results = await h.refresher.refresh(try h.store.publications())
        #expect(results.allSatisfy { $0.status.isUpdated })

        let now = h.clock.now
        await #expect(try h.record("ttl").nextDueAt == now.addingTimeInterval(120 * 60))
        await #expect(try h.record("max-age").nextDueAt == now.addingTimeInterval(5400))
        await #expect(try h.record("expires").nextDueAt == now.addingTimeInterval(3 * 3600))
        await #expect(try h.record("far").nextDueAt == now.addingTimeInterval(24 * 3600))
        await #expect(try h.record("short").nextDueAt == now.addingTimeInterval(15 * 60), "the publication's own interval is the floor")
    }
}

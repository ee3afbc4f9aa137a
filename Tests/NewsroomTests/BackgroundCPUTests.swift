import Foundation
import Testing
import Feeds
#if canImport(Glibc)
import Glibc
#endif
@testable import Newsroom

/// The refresher parses feeds on `BackgroundCPU`: threads of its own at nice 10, off the cooperative pool that serves
/// requests (issue 8: /healthz stays fast while a first refresh parses 1 000 feeds).
@Suite struct BackgroundCPUTests {
    #if os(Linux)
    @Test func workRunsOnALowerPriorityThreadOfItsOwn() async {
        let niceness = await BackgroundCPU.shared.run { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }
        #expect(niceness == 10)
        // The caller's own thread is left as it was.
        #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) != 10)
    }

    /// Named so that top, ps and perf tell its CPU from the pool's.
    @Test func itsThreadsCarryTheirName() async {
        let name = await BackgroundCPU.shared.run { (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "" }
        #expect(name.hasPrefix("newsroom-cpu-"), "the thread is called \(name)")
    }
    #endif

    @Test func errorsAndValuesComeBackToTheCaller() async {
        await #expect(throws: FeedParseError.empty) {
            try await BackgroundCPU.shared.run { () throws(FeedParseError) in try FeedParser.parse(Array("  ".utf8)) }
        }
        // Many at once: each caller gets its own answer, none is lost.
        let sums = await withTaskGroup(of: Int.self) { group in
            for n in 1...64 { group.addTask { await BackgroundCPU.shared.run { (1...n).reduce(0, +) } } }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(sums.sorted() == (1...64).map { $0 * ($0 + 1) / 2 }.sorted())
    }

    @Test func aFetchedFeedIsReadIntoArticles() throws {
        let body = Array("""
            <rss version="2.0"><channel><title>t</title><ttl>30</ttl>
            <item><title>A &lt;b&gt; title</title><link>/a</link><description>&lt;p&gt;Hello&lt;/p&gt;</description></item>
            <item></item></channel></rss>
            """.utf8)
        let feed = try FeedRefresher.ReadFeed(body, baseURL: "http://example.org/feed.xml")
        #expect(feed.articles.count == 1)  // the empty item is not an article
        #expect(feed.articles.first?.link == "http://example.org/a")
        #expect(feed.articles.first?.summary == "Hello")
        #expect(feed.ttlMinutes == 30)
        #expect(!feed.bozo)
    }
}

import Foundation
import Testing
import NIOCore
@testable import Newsroom

/// The rendered-page cache is bounded by bytes (not by entries), least recently used first, and lets a member's
/// pages go when their session ends.
@Suite struct NewsPageCacheTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)
    static let kb = 1024

    /// A cache with the publication's body rendered, ready for member pages built from it.
    func cache(pageBytes: Int, fragmentBytes: Int = NewsPageCache.defaultFragmentBytes, publications: [String] = ["bbc"]) -> NewsPageCache {
        let cache = NewsPageCache(pageBytes: pageBytes, fragmentBytes: fragmentBytes)
        for publication in publications { _ = cache.fragment(for: publication, now: Self.now) { "<main>\(publication)</main>" } }
        return cache
    }

    func page(_ size: Int, by viewer: String) -> ByteBuffer { ByteBuffer(string: viewer + String(repeating: "x", count: size)) }

    func store(_ cache: NewsPageCache, _ viewer: String, size: Int = 20 * kb, publication: String = "bbc") {
        cache.store(page: page(size, by: viewer), publication: publication, viewer: viewer, fragmentRenderedAt: Self.now)
    }

    func has(_ cache: NewsPageCache, _ viewer: String, publication: String = "bbc") -> Bool {
        cache.page(publication: publication, viewer: viewer, now: Self.now) != nil
    }

    /// The review's case: 300 sessions on a page with large titles. The bytes held stay under the budget and
    /// the most recent viewers are the ones kept.
    @Test func memberPagesStayWithinTheirByteBudgetWhateverTheNumberOfViewers() {
        let budget = 1 << 20
        let cache = cache(pageBytes: budget)
        for viewer in 0..<300 {
            store(cache, "viewer-\(viewer)", size: 20 * Self.kb)
            #expect(cache.usage.pages <= budget)
        }
        #expect(cache.usage.pages > budget - 21 * Self.kb, "the budget is used, not emptied")
        #expect(has(cache, "viewer-299"))
        #expect(!has(cache, "viewer-0"))
        let kept = (0..<300).filter { has(cache, "viewer-\($0)") }
        #expect(kept == Array((300 - kept.count)..<300), "the newest pages are the ones kept: \(kept)")
    }

    @Test func aRecentlyReadPageOutlivesOlderOnes() {
        // Room for three pages of 20 KB with their overhead.
        let cache = cache(pageBytes: 3 * (20 * Self.kb + 600))
        for viewer in ["a", "b", "c"] { store(cache, viewer) }
        #expect(has(cache, "a"))  // read: now the most recent
        store(cache, "d")
        #expect(has(cache, "a"), "read just before, so kept")
        #expect(!has(cache, "b"), "the least recently used went")
        #expect(has(cache, "c") && has(cache, "d"))
    }

    @Test func aPageLargerThanTheBudgetIsNotKeptAndEvictsNothing() {
        let cache = cache(pageBytes: 100 * Self.kb)
        store(cache, "small", size: 10 * Self.kb)
        store(cache, "huge", size: 200 * Self.kb)
        #expect(!has(cache, "huge"))
        #expect(has(cache, "small"))
        #expect(cache.usage.pages < 11 * Self.kb)
        // A viewer whose page grew past the budget loses the old copy rather than see it again.
        store(cache, "small", size: 200 * Self.kb)
        #expect(!has(cache, "small"))
        #expect(cache.usage.pages == 0)
    }

    @Test func evictingAViewerDropsTheirPagesOnAllPublicationsAndNoOneElses() {
        let cache = cache(pageBytes: 1 << 20, publications: ["bbc", "cnn"])
        for publication in ["bbc", "cnn"] {
            store(cache, "leaving", publication: publication)
            store(cache, "staying", publication: publication)
        }
        cache.evictPages(of: "leaving")
        #expect(!has(cache, "leaving", publication: "bbc") && !has(cache, "leaving", publication: "cnn"))
        #expect(has(cache, "staying", publication: "bbc") && has(cache, "staying", publication: "cnn"))
        cache.evictPages(of: "staying")
        #expect(cache.usage.pages == 0, "nothing left over once every viewer is gone")
        cache.evictPages(of: "never-seen")
    }

    /// One shared body per publication; with many large feeds only the recently read bodies stay.
    @Test func sharedBodiesStayWithinTheirByteBudget() {
        let budget = 512 * Self.kb
        let cache = NewsPageCache(pageBytes: 1 << 20, fragmentBytes: budget)
        let body = String(repeating: "y", count: 100 * Self.kb)
        var renders = 0
        for publication in 0..<50 {
            _ = cache.fragment(for: "p\(publication)", now: Self.now) { renders += 1; return body }
            #expect(cache.usage.fragments <= budget)
        }
        #expect(renders == 50)
        _ = cache.fragment(for: "p49", now: Self.now) { renders += 1; return body }
        #expect(renders == 50, "the most recent body is still kept")
        _ = cache.fragment(for: "p0", now: Self.now) { renders += 1; return body }
        #expect(renders == 51, "the oldest body was evicted and is rendered again")
    }

    /// A body evicted or changed makes the pages built from it useless: they are never served with another body.
    @Test func aPageBuiltFromAnOlderBodyIsNotServed() {
        let cache = cache(pageBytes: 1 << 20)
        store(cache, "viewer")
        cache.invalidate("bbc")
        let later = Self.now.addingTimeInterval(1)
        _ = cache.fragment(for: "bbc", now: later) { "<main>new</main>" }
        #expect(cache.page(publication: "bbc", viewer: "viewer", now: later) == nil)
        #expect(cache.usage.pages == 0, "dropped when found stale")
    }
}

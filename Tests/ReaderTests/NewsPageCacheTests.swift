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
    func cache(pageBytes: Int, fragmentBytes: Int = NewsPageCache.defaultFragmentBytes, publications: [String] = ["bbc"]) async -> NewsPageCache {
        let cache = NewsPageCache(pageBytes: pageBytes, fragmentBytes: fragmentBytes)
        for publication in publications { _ = await cache.fragment(for: .news(publication), now: Self.now) { (publication, "<main>\(publication)</main>") } }
        return cache
    }

    func page(_ size: Int, by viewer: String) -> ByteBuffer { ByteBuffer(string: viewer + String(repeating: "x", count: size)) }

    /// The body kept for `view`, without rendering one.
    func kept(_ cache: NewsPageCache, _ view: CachedView, at now: Date = now) async -> NewsPageCache.Fragment? {
        await cache.fragment(for: view, now: now) { nil }
    }

    func store(_ cache: NewsPageCache, _ viewer: String, size: Int = 20 * kb, publication: String = "bbc") async {
        guard let fragment = await kept(cache, .news(publication)) else { return }
        cache.store(page: page(size, by: viewer), view: .news(publication), viewer: viewer, fragment: fragment)
    }

    func has(_ cache: NewsPageCache, _ viewer: String, publication: String = "bbc") -> Bool {
        cache.page(.news(publication), viewer: viewer, now: Self.now) != nil
    }

    /// The review's case: 300 sessions on a page with large titles. The bytes held stay under the budget and
    /// the most recent viewers are the ones kept.
    @Test func memberPagesStayWithinTheirByteBudgetWhateverTheNumberOfViewers() async {
        let budget = 1 << 20
        let cache = await cache(pageBytes: budget)
        for viewer in 0..<300 {
            await store(cache, "viewer-\(viewer)", size: 20 * Self.kb)
            #expect(cache.usage.pages <= budget)
        }
        #expect(cache.usage.pages > budget - 21 * Self.kb, "the budget is used, not emptied")
        #expect(has(cache, "viewer-299"))
        #expect(!has(cache, "viewer-0"))
        let kept = (0..<300).filter { has(cache, "viewer-\($0)") }
        #expect(kept == Array((300 - kept.count)..<300), "the newest pages are the ones kept: \(kept)")
    }

    @Test func aRecentlyReadPageOutlivesOlderOnes() async {
        // Room for three pages of 20 KB with their overhead.
        let cache = await cache(pageBytes: 3 * (20 * Self.kb + 600))
        for viewer in ["a", "b", "c"] { await store(cache, viewer) }
        #expect(has(cache, "a"))  // read: now the most recent
        await store(cache, "d")
        #expect(has(cache, "a"), "read just before, so kept")
        #expect(!has(cache, "b"), "the least recently used went")
        #expect(has(cache, "c") && has(cache, "d"))
    }

    @Test func aPageLargerThanTheBudgetIsNotKeptAndEvictsNothing() async {
        let cache = await cache(pageBytes: 100 * Self.kb)
        await store(cache, "small", size: 10 * Self.kb)
        await store(cache, "huge", size: 200 * Self.kb)
        #expect(!has(cache, "huge"))
        #expect(has(cache, "small"))
        #expect(cache.usage.pages < 11 * Self.kb)
        // A viewer whose page grew past the budget loses the old copy rather than see it again.
        await store(cache, "small", size: 200 * Self.kb)
        #expect(!has(cache, "small"))
        #expect(cache.usage.pages == 0)
    }

    @Test func evictingAViewerDropsTheirPagesOnAllPublicationsAndNoOneElses() async {
        let cache = await cache(pageBytes: 1 << 20, publications: ["bbc", "cnn"])
        for publication in ["bbc", "cnn"] {
            await store(cache, "leaving", publication: publication)
            await store(cache, "staying", publication: publication)
        }
        cache.evictPages(of: "leaving")
        #expect(!has(cache, "leaving", publication: "bbc") && !has(cache, "leaving", publication: "cnn"))
        #expect(has(cache, "staying", publication: "bbc") && has(cache, "staying", publication: "cnn"))
        cache.evictPages(of: "staying")
        #expect(cache.usage.pages == 0, "nothing left over once every viewer is gone")
        cache.evictPages(of: "never-seen")
    }

    /// One shared body per publication; with many large feeds only the recently read bodies stay.
    @Test func sharedBodiesStayWithinTheirByteBudget() async {
        let budget = 512 * Self.kb
        let cache = NewsPageCache(pageBytes: 1 << 20, fragmentBytes: budget)
        let body = String(repeating: "y", count: 100 * Self.kb)
        var renders = 0
        for publication in 0..<50 {
            _ = await cache.fragment(for: .news("p\(publication)"), now: Self.now) { renders += 1; return ("p", body) }
            #expect(cache.usage.fragments <= budget)
        }
        #expect(renders == 50)
        _ = await cache.fragment(for: .news("p49"), now: Self.now) { renders += 1; return ("p", body) }
        #expect(renders == 50, "the most recent body is still kept")
        _ = await cache.fragment(for: .news("p0"), now: Self.now) { renders += 1; return ("p", body) }
        #expect(renders == 51, "the oldest body was evicted and is rendered again")
    }

    /// A body evicted or changed makes the pages built from it useless: they are never served with another body.
    @Test func aPageBuiltFromAnOlderBodyIsNotServed() async {
        let cache = await cache(pageBytes: 1 << 20)
        await store(cache, "viewer")
        cache.invalidate("bbc")
        let later = Self.now.addingTimeInterval(1)
        _ = await cache.fragment(for: .news("bbc"), now: later) { ("BBC", "<main>new</main>") }
        #expect(cache.page(.news("bbc"), viewer: "viewer", now: later) == nil)
        #expect(cache.usage.pages == 0, "dropped when found stale")
    }

    /// Even rendered at the same instant (a clock that stands still), a new body is another rendering: pages built
    /// around the old one are never served with it.
    @Test func aPageIsMatchedToItsRenderingNotToItsTime() async {
        let cache = await cache(pageBytes: 1 << 20)
        await store(cache, "viewer")
        cache.invalidate("bbc")
        _ = await cache.fragment(for: .news("bbc"), now: Self.now) { ("BBC", "<main>new</main>") }
        #expect(!has(cache, "viewer"))
    }

    /// A fetch changes every list of fetch state (home, status) and that publication's page; other publications'
    /// pages and the list of names stay.
    @Test func aFetchDropsItsPublicationAndTheListsOfFetchStateOnly() async {
        let cache = await cache(pageBytes: 1 << 20, publications: ["bbc", "cnn"])
        for view: CachedView in [.home(page: 1), .home(page: 2), .status(page: 1), .publications(page: 1)] {
            _ = await cache.fragment(for: view, now: Self.now) { ("list", "<p>list</p>") }
        }
        cache.invalidate("bbc")
        await #expect(kept(cache, .news("bbc")) == nil)
        for view in [CachedView.home(page: 1), .home(page: 2), .status(page: 1)] { await #expect(kept(cache, view) == nil, "\(view)") }
        await #expect(kept(cache, .news("cnn")) != nil)
        await #expect(kept(cache, .publications(page: 1)) != nil)
        cache.invalidateAll()
        for view in [CachedView.news("cnn"), .publications(page: 1)] { await #expect(kept(cache, view) == nil, "\(view)") }
    }

    /// A body rendered from what was read before a change landed must not outlive that change: it is served to the
    /// request that rendered it but not kept.
    @Test func aBodyRenderedAcrossAnInvalidationIsNotKept() async {
        let cache = NewsPageCache()
        let served = await cache.fragment(for: .home(page: 1), now: Self.now) {
            cache.invalidate("bbc")  // the refresher stores a change while this body is being rendered
            return ("Headlines", "<p>before the change</p>")
        }
        #expect(served?.html == "<p>before the change</p>")
        await #expect(kept(cache, .home(page: 1)) == nil)
    }

    /// While one request renders a view anew, others get the body it replaces rather than all rendering at once;
    /// once it is rendered, every request gets the new one.
    @Test func oneRequestRendersAViewWhileOthersGetTheBodyItReplaces() async {
        let cache = NewsPageCache()
        _ = await cache.fragment(for: .status(page: 1), now: Self.now) { ("Feed status", "<p>old</p>") }
        cache.invalidate("bbc")
        var others: [String?] = []
        let fresh = await cache.fragment(for: .status(page: 1), now: Self.now) {
            // Requests arriving while this one renders.
            for _ in 0..<3 { await others.append(cache.fragment(for: .status(page: 1), now: Self.now) { ("x", "<p>rendered twice</p>") }?.html) }
            return ("Feed status", "<p>new</p>")
        }
        #expect(fresh?.html == "<p>new</p>")
        #expect(others == ["<p>old</p>", "<p>old</p>", "<p>old</p>"])
        await #expect(kept(cache, .status(page: 1))?.html == "<p>new</p>")
    }

    /// No such page (a page number past the end): nothing is kept.
    @Test func aMissingPageIsNotKept() async {
        let cache = NewsPageCache()
        await #expect(cache.fragment(for: .home(page: 99), now: Self.now) { nil } == nil)
        #expect(cache.usage.fragments == 0)
    }

    /// `/me` has no shared body: the member's page is kept while the member's details stay as they were, and for
    /// the cache's age limit.
    @Test func aMembersOwnPageFollowsTheMember() async {
        let cache = NewsPageCache(maxAge: 30)
        let member = Member(githubID: 1, login: "octocat", name: nil, avatarURL: nil, admittedBy: "member of acme", csrfToken: "t",
                            membershipCheckedAt: Self.now, sessionExpiresAt: Self.now.addingTimeInterval(3600), flash: nil,
                            sessionIDHash: "viewer")
        cache.store(page: page(100, by: "viewer"), view: .me, viewer: "viewer", member: member, now: Self.now)
        #expect(cache.page(.me, of: member, viewer: "viewer", now: Self.now.addingTimeInterval(10)) != nil)
        var idle = member  // an idle limit moves the session's end with every request
        idle.sessionExpiresAt = member.sessionExpiresAt.addingTimeInterval(10)
        #expect(cache.page(.me, of: idle, viewer: "viewer", now: Self.now.addingTimeInterval(10)) != nil)
        var rechecked = member
        rechecked.membershipCheckedAt = Self.now.addingTimeInterval(10)
        #expect(cache.page(.me, of: rechecked, viewer: "viewer", now: Self.now.addingTimeInterval(10)) == nil)
        cache.store(page: page(100, by: "viewer"), view: .me, viewer: "viewer", member: member, now: Self.now)
        #expect(cache.page(.me, of: member, viewer: "viewer", now: Self.now.addingTimeInterval(31)) == nil, "aged out")
        cache.store(page: page(100, by: "viewer"), view: .me, viewer: "viewer", member: member, now: Self.now)
        cache.evictPages(of: "viewer")
        #expect(cache.usage.pages == 0)
    }
}

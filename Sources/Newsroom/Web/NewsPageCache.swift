import Foundation
import Pages
import Storage
import Synchronization
import Hummingbird

/// Rendered news pages. A publication's body (shared by every member) is rendered once; each member's
/// whole page (their navbar around that body) is kept beside it, so a repeat view is one dictionary lookup.
/// The refresher drops a publication when it stores a change, a catalog edit drops everything, and bodies
/// age out so "12 minutes ago" stays true. A member's page is only valid with the body it was built from.
///
/// Memory is bounded by bytes, not entries: member pages and shared bodies each have a byte budget, least
/// recently used evicted first (a page can be hundreds of KB when a feed has long titles). A member's pages go
/// when their session ends.
final class NewsPageCache: Sendable {
    private struct Fragment { var html: String; var renderedAt: Date }
    private struct PageKey: Hashable { var publication: String; var viewer: String }
    private struct Page { var body: ByteBuffer; var fragmentRenderedAt: Date }
    private struct State {
        var fragments: ByteBoundedLRU<String, Fragment>
        var pages: ByteBoundedLRU<PageKey, Page>
        /// Which publications each viewer has a page of, so a session's pages go without a scan.
        var pagesByViewer: [String: Set<String>] = [:]

        mutating func removePage(_ key: PageKey) {
            pages.removeValue(for: key)
            forget(key)
        }

        mutating func forget(_ key: PageKey) {
            guard var publications = pagesByViewer[key.viewer] else { return }
            publications.remove(key.publication)
            pagesByViewer[key.viewer] = publications.isEmpty ? nil : publications
        }
    }
    private let state: Mutex<State>
    let maxAge: TimeInterval
    let pageBytes: Int
    let fragmentBytes: Int
    /// Member pages: ~100 pages of 300 KB, or thousands of ordinary ones.
    static let defaultPageBytes = 32 << 20
    /// Shared bodies, one per publication: with a thousand large feeds only the recently read ones stay.
    static let defaultFragmentBytes = 16 << 20
    /// What an entry costs beyond its text: keys, dates, dictionary and list slots (an estimate, so tiny pages count too).
    static let entryOverhead = 256

    init(maxAge: TimeInterval = 30, pageBytes: Int = NewsPageCache.defaultPageBytes,
         fragmentBytes: Int = NewsPageCache.defaultFragmentBytes) {
        self.maxAge = maxAge
        self.pageBytes = pageBytes
        self.fragmentBytes = fragmentBytes
        state = Mutex(State(fragments: ByteBoundedLRU(capacity: fragmentBytes), pages: ByteBoundedLRU(capacity: pageBytes)))
    }

    /// The publication's shared body and when it was rendered, rendering it if missing or stale.
    func fragment(for publication: String, now: Date, render: () throws -> String) rethrows -> (html: String, renderedAt: Date) {
        if let fragment = state.withLock({ $0.fragments.value(for: publication) }), isFresh(fragment, now: now) {
            return (fragment.html, fragment.renderedAt)
        }
        let html = try render()
        let cost = html.utf8.count + publication.utf8.count + Self.entryOverhead
        state.withLock { _ = $0.fragments.insert(Fragment(html: html, renderedAt: now), for: publication, cost: cost) }
        return (html, now)
    }

    /// This viewer's whole page, if it was built from the current body. A hit marks both as recently used.
    func page(publication: String, viewer: String, now: Date) -> ByteBuffer? {
        let key = PageKey(publication: publication, viewer: viewer)
        return state.withLock { state in
            guard let fragment = state.fragments.value(for: publication), isFresh(fragment, now: now) else { return nil }
            guard let page = state.pages.value(for: key) else { return nil }
            guard page.fragmentRenderedAt == fragment.renderedAt else {
                state.removePage(key)  // built from an older body: it can never be served again
                return nil
            }
            return page.body
        }
    }

    func store(page body: ByteBuffer, publication: String, viewer: String, fragmentRenderedAt: Date) {
        let key = PageKey(publication: publication, viewer: viewer)
        let cost = body.readableBytes + publication.utf8.count + viewer.utf8.count + Self.entryOverhead
        state.withLock { state in
            // A body invalidated while this page was being built must not come back through it.
            guard state.fragments.peek(publication)?.renderedAt == fragmentRenderedAt else { return }
            for evicted in state.pages.insert(Page(body: body, fragmentRenderedAt: fragmentRenderedAt), for: key, cost: cost) {
                state.forget(evicted)
            }
            if state.pages.peek(key) != nil {
                state.pagesByViewer[viewer, default: []].insert(publication)
            } else {
                state.forget(key)  // larger than the whole budget: not kept
            }
        }
    }

    /// Drops every page of this viewer (their session ended): O(their pages).
    func evictPages(of viewer: String) {
        state.withLock { state in
            guard let publications = state.pagesByViewer.removeValue(forKey: viewer) else { return }
            for publication in publications { state.pages.removeValue(for: PageKey(publication: publication, viewer: viewer)) }
        }
    }

    func invalidate(_ publication: String) { _ = state.withLock { $0.fragments.removeValue(for: publication) } }
    func invalidateAll() {
        state.withLock { state in
            state.fragments.removeAll()
            state.pages.removeAll()
            state.pagesByViewer = [:]
        }
    }

    /// Bytes held by member pages and by shared bodies (as costed against their budgets).
    var usage: (pages: Int, fragments: Int) { state.withLock { ($0.pages.totalCost, $0.fragments.totalCost) } }

    private func isFresh(_ fragment: Fragment, now: Date) -> Bool {
        fragment.renderedAt <= now && now.timeIntervalSince(fragment.renderedAt) < maxAge
    }
}

/// The navbar's links, shared by every page: publications are read from the database at most once per `maxAge`
/// seconds of the injected clock instead of once per page view, so a feeds.json edit reaches the navbar within seconds.
final class NavigationCache: Sendable {
    private struct Entry { var links: [PublicationLink]; var readAt: Date }
    private let entry = Mutex<Entry?>(nil)
    let maxAge: TimeInterval

    init(maxAge: TimeInterval = 5) { self.maxAge = maxAge }

    /// The links (paths encoded once per read, not per view). A failed read is not cached: the next page tries again.
    func links(now: Date, read: () throws -> [PublicationRecord]) rethrows -> [PublicationLink] {
        if let cached = entry.withLock({ $0 }), cached.readAt <= now, now.timeIntervalSince(cached.readAt) < maxAge {
            return cached.links
        }
        let links = try read().map { PublicationLink(id: $0.id, name: $0.name) }
        entry.withLock { $0 = Entry(links: links, readAt: now) }
        return links
    }

    func invalidate() { entry.withLock { $0 = nil } }
}

/// Reads the member's navbar links into the context, so rendering never reaches the database. A failed read
/// shows the page without links rather than failing it.
struct NavigationMiddleware: RouterMiddleware {
    typealias Context = NewsroomContext
    let navigation: NavigationCache
    let store: Store
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: NewsroomContext, next: (Request, NewsroomContext) async throws -> Response) async throws -> Response {
        guard context.member != nil else { return try await next(request, context) }
        var context = context
        context.publications = (try? navigation.links(now: now()) { try store.publications() }) ?? []
        return try await next(request, context)
    }
}

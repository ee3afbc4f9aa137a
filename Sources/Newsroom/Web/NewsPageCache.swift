import Foundation
import Pages
import Storage
import Synchronization
import Hummingbird

/// What a cached page shows. Page numbers come from requests, so only pages that exist are ever rendered and kept.
enum CachedView: Hashable, Sendable {
    /// `/news/{id}`.
    case news(String)
    /// `/?page=N`: headlines, the most recently updated publications first.
    case home(page: Int)
    /// `/status?page=N`.
    case status(page: Int)
    /// `/publications?page=N`: names only, in catalog order.
    case publications(page: Int)
    /// `/me`: nothing shared, the member's own page.
    case me

    /// Lists of every publication's fetch state: any fetch may change them.
    var followsEveryFetch: Bool {
        switch self {
        case .home, .status: true
        case .news, .publications, .me: false
        }
    }
}

/// Rendered pages. A page's body shared by every member (a publication's news, a page of headlines or of feed
/// status) is rendered once; each member's whole page (their navbar around that body) is kept beside it, so a
/// repeat view is one dictionary lookup. The refresher drops a publication's body and the lists of fetch state
/// when it stores a change, a catalog edit drops everything, and bodies age out so "12 minutes ago" stays true. A
/// member's page is only served with the very body it was built from. `/me` has no shared body: the member's page
/// is kept while the member's details it shows stay the same.
///
/// Memory is bounded by bytes, not entries: member pages and shared bodies each have a byte budget, least
/// recently used evicted first (a page can be hundreds of KB when a feed has long titles). A member's pages go
/// when their session ends.
final class NewsPageCache: Sendable {
    /// A shared body: its HTML, the page title that goes with it, and which rendering it is.
    struct Fragment: Sendable {
        var html: String
        var title: String
        var renderedAt: Date
        /// Unique per rendering, so a member's page is never matched with another rendering of the same view.
        var version: UInt64
    }
    private struct PageKey: Hashable { var view: CachedView; var viewer: String }
    private enum Basis: Equatable {
        /// Built around this rendering of the view's shared body.
        case fragment(version: UInt64)
        /// Built for the member as they were then (`/me`).
        case member(Member, builtAt: Date)
    }
    private struct Page { var body: ByteBuffer; var basis: Basis }
    private struct State {
        var fragments: ByteBoundedLRU<CachedView, Fragment>
        var pages: ByteBoundedLRU<PageKey, Page>
        /// Which views each viewer has a page of, so a session's pages go without a scan.
        var pagesByViewer: [String: Set<CachedView>] = [:]
        /// Bodies kept that any fetch makes stale (at most the pages of the home and status lists that exist).
        var fetchDependent: Set<CachedView> = []
        /// Bodies a fetch made out of date: kept only to answer requests that arrive while one request renders anew.
        var stale: Set<CachedView> = []
        /// Views being rendered right now, each by one request.
        var rendering: Set<CachedView> = []
        var nextVersion: UInt64 = 1
        /// Counts every invalidation: a body rendered while one happened may predate it, so it is served but not kept.
        var invalidations: UInt64 = 0

        mutating func removePage(_ key: PageKey) {
            pages.removeValue(for: key)
            forget(key)
        }

        mutating func forget(_ key: PageKey) {
            guard var views = pagesByViewer[key.viewer] else { return }
            views.remove(key.view)
            pagesByViewer[key.viewer] = views.isEmpty ? nil : views
        }
    }
    private let state: Mutex<State>
    /// Hits and misses of `page(…)` at the routes that serve pages, for /metrics.
    let lookups = PageCacheLookups()
    let maxAge: TimeInterval
    let pageBytes: Int
    let fragmentBytes: Int
    /// Member pages: ~100 pages of 300 KB, or thousands of ordinary ones.
    static let defaultPageBytes = 32 << 20
    /// Shared bodies, one per publication and list page: with a thousand large feeds only the recently read ones stay.
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

    /// The view's shared body, rendering it if missing, aged or made stale by a fetch. `render` gives the title and
    /// HTML, or nil when there is no such page (nothing is kept, and nil is returned).
    ///
    /// One request renders a view at a time: while it does, others asking for that view get the body it replaces (a
    /// fetch or the clock made it out of date a moment ago), so a busy page is not rendered by every request at once.
    func fragment(for view: CachedView, now: Date, render: () async throws -> (title: String, html: String)?) async rethrows -> Fragment? {
        enum Plan { case serve(Fragment), render(invalidations: UInt64) }
        let plan: Plan = state.withLock { state in
            let cached = state.fragments.value(for: view)
            if let cached, !state.stale.contains(view), isFresh(cached, now: now) { return .serve(cached) }
            if let cached, state.rendering.contains(view) { return .serve(cached) }
            state.rendering.insert(view)
            return .render(invalidations: state.invalidations)
        }
        let invalidations: UInt64
        switch plan {
        case .serve(let cached): return cached
        case .render(let count): invalidations = count
        }
        defer { _ = state.withLock { $0.rendering.remove(view) } }
        guard let rendered = try await render() else { return nil }
        let cost = rendered.html.utf8.count + rendered.title.utf8.count + Self.entryOverhead
        return state.withLock { state in
            let fragment = Fragment(html: rendered.html, title: rendered.title, renderedAt: now, version: state.nextVersion)
            state.nextVersion += 1
            guard state.invalidations == invalidations else { return fragment }
            state.fragments.insert(fragment, for: view, cost: cost)
            state.stale.remove(view)
            if view.followsEveryFetch { state.fetchDependent.insert(view) }
            return fragment
        }
    }

    /// This viewer's whole page, if it was built from the view's current body. A hit marks both as recently used.
    func page(_ view: CachedView, viewer: String, now: Date) -> ByteBuffer? {
        let key = PageKey(view: view, viewer: viewer)
        return state.withLock { state in
            guard let page = state.pages.value(for: key) else { return nil }
            guard case .fragment(let version) = page.basis, let fragment = state.fragments.value(for: view),
                  !state.stale.contains(view), isFresh(fragment, now: now), fragment.version == version else {
                state.removePage(key)  // built from an older body: it can never be served again
                return nil
            }
            return page.body
        }
    }

    /// This viewer's page of a publication's news, if built from its current body.
    func page(publication: String, viewer: String, now: Date) -> ByteBuffer? {
        page(.news(publication), viewer: viewer, now: now)
    }

    /// This member's own page (no shared body), if it was built for the member as they are now and is fresh.
    func page(_ view: CachedView, of member: Member, viewer: String, now: Date) -> ByteBuffer? {
        let key = PageKey(view: view, viewer: viewer)
        return state.withLock { state in
            guard let page = state.pages.value(for: key) else { return nil }
            guard case .member(let builtFor, let builtAt) = page.basis, Self.showsTheSame(builtFor, member, within: maxAge),
                  builtAt <= now, now.timeIntervalSince(builtAt) < maxAge else {
                state.removePage(key)
                return nil
            }
            return page.body
        }
    }

    /// Keeps a viewer's page built around `fragment` (unless that body was dropped or replaced meanwhile).
    func store(page body: ByteBuffer, view: CachedView, viewer: String, fragment: Fragment) {
        store(body, key: PageKey(view: view, viewer: viewer), basis: .fragment(version: fragment.version)) { state in
            // A body invalidated while this page was being built must not come back through it.
            state.fragments.peek(view)?.version == fragment.version && !state.stale.contains(view)
        }
    }

    /// Keeps a member's own page, valid while they stay as they are and for `maxAge`.
    func store(page body: ByteBuffer, view: CachedView, viewer: String, member: Member, now: Date) {
        store(body, key: PageKey(view: view, viewer: viewer), basis: .member(member, builtAt: now)) { _ in true }
    }

    private func store(_ body: ByteBuffer, key: PageKey, basis: Basis, if isCurrent: (inout State) -> Bool) {
        let cost = body.readableBytes + key.viewer.utf8.count + Self.entryOverhead
        state.withLock { state in
            guard isCurrent(&state) else { return }
            for evicted in state.pages.insert(Page(body: body, basis: basis), for: key, cost: cost) {
                state.forget(evicted)
            }
            if state.pages.peek(key) != nil {
                state.pagesByViewer[key.viewer, default: []].insert(key.view)
            } else {
                state.forget(key)  // larger than the whole budget: not kept
            }
        }
    }

    /// Drops every page of this viewer (their session ended): O(their pages).
    func evictPages(of viewer: String) {
        state.withLock { state in
            guard let views = state.pagesByViewer.removeValue(forKey: viewer) else { return }
            for view in views { state.pages.removeValue(for: PageKey(view: view, viewer: viewer)) }
        }
    }

    /// A publication's stored state changed: its page is out of date, and so are the lists that show every
    /// publication's fetch state (home, status); the next request for each renders it anew. The list of names stays.
    func invalidate(_ publication: String) {
        state.withLock { state in
            state.invalidations += 1
            if state.fragments.peek(.news(publication)) != nil { state.stale.insert(.news(publication)) }
            state.stale.formUnion(state.fetchDependent)
        }
    }

    /// The catalog changed (names, order, navbar): everything goes.
    func invalidateAll() {
        state.withLock { state in
            state.invalidations += 1
            state.fragments.removeAll()
            state.pages.removeAll()
            state.pagesByViewer = [:]
            state.fetchDependent = []
            state.stale = []
        }
    }

    /// Bytes held by member pages and by shared bodies (as costed against their budgets).
    var usage: (pages: Int, fragments: Int) { state.withLock { ($0.pages.totalCost, $0.fragments.totalCost) } }

    /// The same member details, the session's end aside: an idle limit moves it with every request, so it may
    /// differ by as much as a kept page's age (its relative time reads the same).
    private static func showsTheSame(_ kept: Member, _ current: Member, within drift: TimeInterval) -> Bool {
        var aligned = kept
        aligned.sessionExpiresAt = current.sessionExpiresAt
        return aligned == current && abs(kept.sessionExpiresAt.timeIntervalSince(current.sessionExpiresAt)) < drift
    }

    private func isFresh(_ fragment: Fragment, now: Date) -> Bool {
        fragment.renderedAt <= now && now.timeIntervalSince(fragment.renderedAt) < maxAge
    }
}

/// The navbar's links, shared by every page: the first few publications (`AllPublications.inNavbar`, whatever the
/// catalog's size) are read from the database at most once per `maxAge` seconds of the injected clock instead of
/// once per page view, so a feeds.json edit reaches the navbar within seconds.
final class NavigationCache: Sendable {
    private struct Entry { var links: [PublicationLink]; var readAt: Date }
    private let entry = Mutex<Entry?>(nil)
    let maxAge: TimeInterval

    init(maxAge: TimeInterval = 5) { self.maxAge = maxAge }

    /// The links (paths encoded once per read, not per view). A failed read is not cached: the next page tries again.
    func links(now: Date, read: () async throws -> [PublicationRecord]) async rethrows -> [PublicationLink] {
        if let cached = entry.withLock({ $0 }), cached.readAt <= now, now.timeIntervalSince(cached.readAt) < maxAge {
            return cached.links
        }
        let links = try await read().map { PublicationLink(id: $0.id, name: $0.name) }
        entry.withLock { $0 = Entry(links: links, readAt: now) }
        return links
    }

    func invalidate() { entry.withLock { $0 = nil } }
}

/// Reads the member's navbar links (the first few publications) into the context, so rendering never reaches the database. A failed read
/// shows the page without links rather than failing it.
struct NavigationMiddleware: RouterMiddleware {
    typealias Context = NewsroomContext
    let navigation: NavigationCache
    let store: any Store
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: NewsroomContext, next: (Request, NewsroomContext) async throws -> Response) async throws -> Response {
        guard context.member != nil else { return try await next(request, context) }
        var context = context
        context.publications = (try? await navigation.links(now: now()) {
            try await store.publications(offset: 0, limit: AllPublications.inNavbar).items
        }) ?? []
        return try await next(request, context)
    }
}

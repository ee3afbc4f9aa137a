import Foundation
import Pages
import Storage
import Synchronization
import Hummingbird

/// Rendered news pages. A publication's body (shared by every member) is rendered once; each member's
/// whole page (their navbar around that body) is kept beside it, so a repeat view is one dictionary lookup.
/// The refresher drops a publication when it stores a change, a catalog edit drops everything, and bodies
/// age out so "12 minutes ago" stays true. A member's page is only valid with the body it was built from.
final class NewsPageCache: Sendable {
    private struct Fragment { var html: String; var renderedAt: Date }
    private struct PageKey: Hashable { var publication: String; var viewer: String }
    private struct Page { var body: ByteBuffer; var fragmentRenderedAt: Date }
    private struct State {
        var fragments: [String: Fragment] = [:]
        var pages: [PageKey: Page] = [:]
    }
    private let state = Mutex(State())
    let maxAge: TimeInterval
    /// Beyond this many member pages the cache starts over (memory stays bounded with many sessions).
    static let maxPages = 10_000

    init(maxAge: TimeInterval = 30) { self.maxAge = maxAge }

    /// The publication's shared body and when it was rendered, rendering it if missing or stale.
    func fragment(for publication: String, now: Date, render: () throws -> String) rethrows -> (html: String, renderedAt: Date) {
        if let fragment = state.withLock({ $0.fragments[publication] }), isFresh(fragment, now: now) {
            return (fragment.html, fragment.renderedAt)
        }
        let html = try render()
        state.withLock { $0.fragments[publication] = Fragment(html: html, renderedAt: now) }
        return (html, now)
    }

    /// This viewer's whole page, if it was built from the current body.
    func page(publication: String, viewer: String, now: Date) -> ByteBuffer? {
        state.withLock { state in
            guard let fragment = state.fragments[publication], isFresh(fragment, now: now),
                  let page = state.pages[PageKey(publication: publication, viewer: viewer)],
                  page.fragmentRenderedAt == fragment.renderedAt else { return nil }
            return page.body
        }
    }

    func store(page body: ByteBuffer, publication: String, viewer: String, fragmentRenderedAt: Date) {
        state.withLock { state in
            // A body invalidated while this page was being built must not come back through it.
            guard state.fragments[publication]?.renderedAt == fragmentRenderedAt else { return }
            if state.pages.count >= Self.maxPages { state.pages.removeAll(keepingCapacity: true) }
            state.pages[PageKey(publication: publication, viewer: viewer)] = Page(body: body, fragmentRenderedAt: fragmentRenderedAt)
        }
    }

    func invalidate(_ publication: String) { _ = state.withLock { $0.fragments.removeValue(forKey: publication) } }
    func invalidateAll() { state.withLock { $0 = State() } }

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

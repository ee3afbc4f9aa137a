import Foundation
import Hummingbird
import Curl
import Pages
import Storage

/// The reader: home, a publication's page, the member's page, fetch status, all publications, and the JSON API.
///
/// Every signed-in page is served the way a publication's page is: the body all members share is rendered once
/// from a few queries (never one per publication, never counting articles) and kept until a fetch or a catalog
/// edit changes it; each member's whole page around it is kept too, so a repeat view is a dictionary lookup.
/// Long lists come a page at a time, so no page grows with the catalog.
struct NewsRoutes: Sendable {
    let store: any Store
    let views: Views
    let cache: NewsPageCache
    let sessions: SessionManager
    /// "members of acme", for the signed-out home page.
    let gateSummary: String
    let now: @Sendable () -> Date
    static let articlesPerPage = 20
    static let cardsPerPage = 30
    static let statusRowsPerPage = 100
    static let publicationsPerPage = 100
    /// Far beyond any catalog: a larger `?page=` is refused before it reaches the database.
    static let maxPageNumber = 100_000

    func register(on router: Router<NewsroomContext>) {
        router.get("/") { request, context in try await home(request, context: context) }
        router.get("/news/:id") { request, context in
            guard context.member != nil else { return signInFirst(request) }
            return try await news(id: context.parameters.require("id"), context: context)
        }
        router.get("/me") { request, context in
            guard let member = context.member else { return signInFirst(request) }
            return me(member, context: context)
        }
        router.get("/status") { request, context in
            guard context.member != nil else { return signInFirst(request) }
            return try await status(page: Self.requestedPage(request), context: context)
        }
        router.get(RouterPath(AllPublications.path)) { request, context in
            guard context.member != nil else { return signInFirst(request) }
            return try await publications(page: Self.requestedPage(request), context: context)
        }
        router.get("/api/news/:id") { _, context in
            guard context.member != nil else { return json(.unauthorized, ["error": "sign in required"]) }
            return try await api(id: context.parameters.require("id"))
        }
        for path: RouterPath in ["/", "/news/:id", "/me", "/status", RouterPath(AllPublications.path), "/api/news/:id"] {
            router.refuseWrites(on: path)
        }
    }

    /// Anonymous visitors of a members' page go through sign-in and come back here.
    func signInFirst(_ request: Request) -> Response {
        let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        return Response.redirect(to: "/login?next=" + PercentEncoding.encode(target, keeping: "/"), type: .found)
    }

    /// `?page=N` (1 without it); nil when it is not a page number, which the list answers with a 404.
    static func requestedPage(_ request: Request) -> Int? {
        guard let raw = request.uri.queryParameters.get("page") else { return 1 }
        guard let page = Int(raw), page >= 1, page <= maxPageNumber else { return nil }
        return page
    }

    func home(_ request: Request, context: NewsroomContext) async throws -> Response {
        guard context.member != nil else {
            let signedOut = request.cookies[sessions.flashCookieName]?.value == "signed-out"
            var response = views.page(HomeSignedOutPage(gateSummary: gateSummary, signInURL: "/login"), title: "Sign in",
                                      context: context, flash: signedOut ? "Signed out" : nil)
            if signedOut { response.setCookie(sessions.expiredCookie(sessions.flashCookieName)) }
            return response
        }
        guard let page = Self.requestedPage(request) else { return views.notFound(context: context) }
        return try await shared(.home(page: page), context: context) { now in
            // A database failure is a 500, not an empty "no publications configured" page.
            let slice = try await store.headlines(offset: (page - 1) * Self.cardsPerPage, limit: Self.cardsPerPage)
            let pageCount = Pagination.pageCount(total: slice.total, perPage: Self.cardsPerPage)
            guard page <= pageCount else { return nil }
            let cards = slice.items.map { row in
                PublicationCard(id: row.publication.id, name: row.publication.name, headline: row.headline.map { article($0, now: now) },
                                lastFetched: row.publication.lastSuccessAt.map { TimeView(date: $0, now: now) },
                                failing: row.publication.isFailing, neverFetched: row.publication.lastSuccessAt == nil && row.headline == nil)
            }
            let pagination = Pagination(page: page, pageCount: pageCount, path: "/", previousLabel: "← Newer", nextLabel: "Older →")
            return ("Headlines", views.renderer.renderFragment(HomePage(cards: cards, pagination: pagination)))
        }
    }

    func news(id rawID: String, context: NewsroomContext) async throws -> Response {
        let id = rawID.lowercased()
        return try await shared(.news(id), context: context, current: id) { now in
            guard let publication = try await store.publication(id: id), publication.active else { return nil }
            let headline = try await store.currentHeadline(of: id)
            // One more than shown: the headline is usually among the newest and the page lists it only once.
            let recent = try await store.recentArticles(of: id, limit: Self.articlesPerPage + 1)
            let failure = publication.lastError.map { message in
                FailureBanner(message: message, since: TimeView(date: publication.failingSince ?? publication.lastFetchAttemptAt ?? now, now: now))
            }
            let page = NewsPage(id: publication.id, name: publication.name, headline: headline.map { article($0, now: now) },
                                articles: recent.map { article($0, now: now) },
                                lastFetched: (publication.lastSuccessAt).map { TimeView(date: $0, now: now) },
                                failure: failure, neverFetched: publication.lastSuccessAt == nil && headline == nil)
            return (publication.name, views.renderer.renderFragment(page))
        }
    }

    func me(_ member: Member, context: NewsroomContext) -> Response {
        let now = now()
        // A page with a one-time flash is rendered fresh and never kept.
        let viewer = member.flash == nil ? member.sessionIDHash : nil
        if let viewer, let body = cache.lookups.counted(cache.page(.me, of: member, viewer: viewer, now: now)) { return views.html(.ok, body) }
        let page = MePage(avatarURL: member.avatarURL, name: member.name, login: member.login, githubID: Int(member.githubID),
                          admittedBy: member.admittedBy, membershipChecked: TimeView(date: member.membershipCheckedAt, now: now),
                          sessionExpires: TimeView(date: member.sessionExpiresAt, now: now), csrfToken: member.csrfToken)
        let body = ByteBuffer(string: views.renderer.renderPage(page, layout: views.layout(title: "You", context: context)))
        if let viewer { cache.store(page: body, view: .me, viewer: viewer, member: member, now: now) }
        return views.html(.ok, body)
    }

    func status(page: Int?, context: NewsroomContext) async throws -> Response {
        guard let page else { return views.notFound(context: context) }
        return try await shared(.status(page: page), context: context) { now in
            let slice = try await store.publicationsFailingFirst(offset: (page - 1) * Self.statusRowsPerPage, limit: Self.statusRowsPerPage)
            let pageCount = Pagination.pageCount(total: slice.total, perPage: Self.statusRowsPerPage)
            guard page <= pageCount else { return nil }
            let counts = try await store.catalogSummary()
            let summary = StatusSummary(ok: counts.ok, failing: counts.failing, waiting: counts.waiting,
                                        oldestSuccess: counts.oldestSuccessAt.map { TimeView(date: $0, now: now) })
            let rows = slice.items.map { p in
                StatusRow(id: p.id, name: p.name, lastFetch: p.lastFetchAttemptAt.map { TimeView(date: $0, now: now) }, httpStatus: p.lastHTTPStatus,
                          error: p.lastError, failingSince: p.failingSince.map { TimeView(date: $0, now: now) },
                          nextTry: TimeView(date: p.nextDueAt, now: now), articleCount: p.articleCount, consecutiveFailures: p.consecutiveFailures)
            }
            let pagination = Pagination(page: page, pageCount: pageCount, path: "/status", previousLabel: "← Previous", nextLabel: "Next →")
            return ("Feed status", views.renderer.renderFragment(StatusPage(rows: rows, summary: summary, pagination: pagination)))
        }
    }

    func publications(page: Int?, context: NewsroomContext) async throws -> Response {
        guard let page else { return views.notFound(context: context) }
        return try await shared(.publications(page: page), context: context, allPublicationsIsCurrent: true) { _ in
            let slice = try await store.publications(offset: (page - 1) * Self.publicationsPerPage, limit: Self.publicationsPerPage)
            let pageCount = Pagination.pageCount(total: slice.total, perPage: Self.publicationsPerPage)
            guard page <= pageCount else { return nil }
            let pagination = Pagination(page: page, pageCount: pageCount, path: AllPublications.path,
                                        previousLabel: "← Previous", nextLabel: "Next →")
            let links = slice.items.map { PublicationLink(id: $0.id, name: $0.name) }
            return ("All publications", views.renderer.renderFragment(PublicationsPage(publications: links, total: slice.total, pagination: pagination)))
        }
    }

    /// A page whose body every member shares: this member's whole page from the cache when it was built around the
    /// current body, else the body (cached, or rendered now by `render` and kept) wrapped in their layout, and kept.
    /// `render` returns the page's title and body, or nil when there is no such page (a 404, nothing kept).
    /// - Parameter current: the publication whose page this is (the body's title is its name).
    private func shared(_ view: CachedView, context: NewsroomContext, current: String? = nil, allPublicationsIsCurrent: Bool = false,
                        render: (Date) async throws -> (title: String, html: String)?) async throws -> Response {
        let now = now()
        // A page with a one-time flash is rendered fresh and never kept.
        let viewer = context.member.flatMap { $0.flash == nil ? $0.sessionIDHash : nil }
        if let viewer, let body = cache.lookups.counted(cache.page(view, viewer: viewer, now: now)) { return views.html(.ok, body) }
        guard let fragment = try await cache.fragment(for: view, now: now, render: { try await render(now) }) else { return views.notFound(context: context) }
        let layout = views.layout(title: fragment.title, context: context, current: current.map { PublicationLink(id: $0, name: fragment.title) },
                                  allPublicationsIsCurrent: allPublicationsIsCurrent)
        let body = ByteBuffer(string: views.renderer.wrap(fragmentHTML: fragment.html, layout: layout))
        if let viewer { cache.store(page: body, view: view, viewer: viewer, fragment: fragment) }
        return views.html(.ok, body)
    }

    func api(id rawID: String) async throws -> Response {
        let id = rawID.lowercased()
        guard let p = try await store.publication(id: id), p.active else { return json(.notFound, ["error": "no publication '\(id)'"]) }
        let body = NewsAPIBody(
            publication: .init(id: p.id, name: p.name, lastFetchedAt: p.lastSuccessAt, lastError: p.lastError, failingSince: p.failingSince),
            headline: try await store.currentHeadline(of: id).map(NewsAPIBody.Article.init),
            articles: try await store.recentArticles(of: id, limit: Self.articlesPerPage).map(NewsAPIBody.Article.init))
        return json(.ok, body)
    }

    func article(_ a: ArticleRecord, now: Date) -> ArticleView {
        ArticleView(title: a.title ?? "", link: a.link ?? "", summary: a.summary, author: a.author,
                    thumbnailURL: a.thumbnail, published: (a.published ?? a.updated).map { TimeView(date: $0, now: now) })
    }

    func json(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// `/api/news/{id}`: the news page's data for scripts.
struct NewsAPIBody: Encodable {
    struct Publication: Encodable {
        var id: String
        var name: String
        var lastFetchedAt: Date?
        var lastError: String?
        var failingSince: Date?
    }
    struct Article: Encodable {
        var title: String?
        var link: String?
        var summary: String?
        var author: String?
        var published: Date?
        var updated: Date?
        var thumbnail: String?
        /// Links and thumbnails pass the same URL policy as the pages: scripts get no `javascript:` or `data:` URL either.
        init(_ a: ArticleRecord) {
            title = a.title; link = a.link.flatMap(URLPolicy.webLink); summary = a.summary; author = a.author
            published = a.published; updated = a.updated; thumbnail = a.thumbnail.flatMap(URLPolicy.secureImage)
        }
    }
    var publication: Publication
    var headline: Article?
    var articles: [Article]
}

extension Router where Context == NewsroomContext {
    /// The router answers a known path with the wrong method as an unknown page: say 405 (with `Allow`) instead.
    func refuseWrites(on path: RouterPath) {
        for method: HTTPRequest.Method in [.post, .put, .patch, .delete] {
            on(path, method: method) { _, _ -> Response in
                throw HTTPError(.methodNotAllowed, headers: [.allow: "GET"])
            }
        }
    }
}

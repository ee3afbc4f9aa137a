import Foundation
import Hummingbird
import Curl
import Pages
import Storage

/// The reader: home, a publication's page, the member's page, fetch status, and the JSON API.
struct NewsRoutes: Sendable {
    let store: Store
    let views: Views
    let cache: NewsPageCache
    let sessions: SessionManager
    /// "members of acme", for the signed-out home page.
    let gateSummary: String
    let now: @Sendable () -> Date
    static let articlesPerPage = 20

    func register(on router: Router<NewsroomContext>) {
        router.get("/") { request, context in try home(request, context: context) }
        router.get("/news/:id") { request, context in
            guard context.member != nil else { return signInFirst(request) }
            return try news(id: context.parameters.require("id"), context: context)
        }
        router.get("/me") { request, context in
            guard let member = context.member else { return signInFirst(request) }
            return me(member, context: context)
        }
        router.get("/status") { request, context in
            guard context.member != nil else { return signInFirst(request) }
            return try status(context: context)
        }
        router.get("/api/news/:id") { _, context in
            guard context.member != nil else { return json(.unauthorized, ["error": "sign in required"]) }
            return try api(id: context.parameters.require("id"))
        }
        for path: RouterPath in ["/", "/news/:id", "/me", "/status", "/api/news/:id"] { router.refuseWrites(on: path) }
    }

    /// Anonymous visitors of a members' page go through sign-in and come back here.
    func signInFirst(_ request: Request) -> Response {
        let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        return Response.redirect(to: "/login?next=" + PercentEncoding.encode(target, keeping: "/"), type: .found)
    }

    func home(_ request: Request, context: NewsroomContext) throws -> Response {
        guard context.member != nil else {
            let signedOut = request.cookies[sessions.flashCookieName]?.value == "signed-out"
            var response = views.page(HomeSignedOutPage(gateSummary: gateSummary, signInURL: "/login"), title: "Sign in",
                                      context: context, flash: signedOut ? "Signed out" : nil)
            if signedOut { response.setCookie(sessions.expiredCookie(sessions.flashCookieName)) }
            return response
        }
        let now = now()
        // A database failure is a 500, not an empty "no publications configured" page.
        let cards = try store.headlines().map { row in
            PublicationCard(id: row.publication.id, name: row.publication.name, headline: row.headline.map { article($0, now: now) },
                            lastFetched: row.publication.lastSuccessAt.map { TimeView(date: $0, now: now) },
                            failing: row.publication.lastError != nil, neverFetched: row.publication.lastSuccessAt == nil && row.headline == nil)
        }
        return views.page(HomePage(cards: cards), title: "Headlines", context: context)
    }

    func news(id rawID: String, context: NewsroomContext) throws -> Response {
        let id = rawID.lowercased()
        let now = now()
        // A page with a one-time flash is rendered fresh and never kept.
        let viewer = context.member.flatMap { $0.flash == nil ? $0.sessionIDHash : nil }
        if let viewer, let body = cache.page(publication: id, viewer: viewer, now: now) { return views.html(.ok, body) }
        guard let publication = try store.publication(id: id), publication.active else { return views.notFound(context: context) }
        let fragment = try cache.fragment(for: id, now: now) {
            let headline = try store.currentHeadline(of: id)
            // One more than shown: the headline is usually among the newest and the page lists it only once.
            let recent = try store.recentArticles(of: id, limit: Self.articlesPerPage + 1)
            let failure = publication.lastError.map { message in
                FailureBanner(message: message, since: TimeView(date: publication.failingSince ?? publication.lastFetchAttemptAt ?? now, now: now))
            }
            let page = NewsPage(id: publication.id, name: publication.name, headline: headline.map { article($0, now: now) },
                                articles: recent.map { article($0, now: now) },
                                lastFetched: (publication.lastSuccessAt).map { TimeView(date: $0, now: now) },
                                failure: failure, neverFetched: publication.lastSuccessAt == nil && headline == nil)
            return views.renderer.renderFragment(page)
        }
        let body = ByteBuffer(string: views.renderer.wrap(fragmentHTML: fragment.html,
                                                          layout: views.layout(title: publication.name, context: context, current: id)))
        if let viewer { cache.store(page: body, publication: id, viewer: viewer, fragmentRenderedAt: fragment.renderedAt) }
        return views.html(.ok, body)
    }

    func me(_ member: Member, context: NewsroomContext) -> Response {
        let now = now()
        return views.page(MePage(avatarURL: member.avatarURL, name: member.name, login: member.login, githubID: Int(member.githubID),
                                 admittedBy: member.admittedBy, membershipChecked: TimeView(date: member.membershipCheckedAt, now: now),
                                 sessionExpires: TimeView(date: member.sessionExpiresAt, now: now), csrfToken: member.csrfToken),
                          title: "You", context: context)
    }

    func status(context: NewsroomContext) throws -> Response {
        let now = now()
        let rows = try store.publications().map { p in
            StatusRow(id: p.id, name: p.name, lastFetch: p.lastFetchAttemptAt.map { TimeView(date: $0, now: now) }, httpStatus: p.lastHTTPStatus,
                      error: p.lastError, failingSince: p.failingSince.map { TimeView(date: $0, now: now) },
                      nextTry: TimeView(date: p.nextDueAt, now: now), articleCount: p.articleCount, consecutiveFailures: p.consecutiveFailures)
        }
        return views.page(StatusPage(rows: rows), title: "Feed status", context: context)
    }

    func api(id rawID: String) throws -> Response {
        let id = rawID.lowercased()
        guard let p = try store.publication(id: id), p.active else { return json(.notFound, ["error": "no publication '\(id)'"]) }
        let body = NewsAPIBody(
            publication: .init(id: p.id, name: p.name, lastFetchedAt: p.lastSuccessAt, lastError: p.lastError, failingSince: p.failingSince),
            headline: try store.currentHeadline(of: id).map(NewsAPIBody.Article.init),
            articles: try store.recentArticles(of: id, limit: Self.articlesPerPage).map(NewsAPIBody.Article.init))
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

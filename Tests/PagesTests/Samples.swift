import Foundation
@testable import Pages

/// Realistic view models for every page, shared by rendering tests and the sample writer.
enum Samples {
    static let now = Fixtures.now

    static let headline = ArticleView(
        title: "Leaders agree on new climate finance deal after overnight talks",
        link: "https://www.bbc.co.uk/news/articles/c0climate",
        summary: "Negotiators in Belém reached agreement on a fund to help poorer countries adapt, after talks ran 14 hours past their deadline.",
        author: "Justin Rowlatt",
        thumbnailURL: "https://ichef.bbci.co.uk/news/1024/branded_news/climate.jpg",
        published: Fixtures.time(minutesAgo: 38))

    static let articles: [ArticleView] = [
        headline,
        ArticleView(
            title: "Rail strike called off as unions accept revised pay offer",
            link: "https://www.bbc.co.uk/news/articles/c1rail",
            summary: "Members voted to accept a 4.5% rise, ending a dispute that has disrupted services since the summer.",
            thumbnailURL: "https://ichef.bbci.co.uk/news/240/rail.jpg",
            published: Fixtures.time(minutesAgo: 95)),
        ArticleView(
            title: "Astronomers spot the most distant galaxy yet",
            link: "https://www.bbc.co.uk/news/science/c2galaxy",
            summary: "The James Webb telescope saw light that left the galaxy 290 million years after the Big Bang.",
            author: "Pallab Ghosh",
            published: Fixtures.time(minutesAgo: 60 * 5)),
        ArticleView(
            title: "Why the price of cocoa is finally falling",
            link: "https://www.bbc.co.uk/news/business/c3cocoa",
            thumbnailURL: "https://ichef.bbci.co.uk/news/240/cocoa.jpg",
            published: Fixtures.time(minutesAgo: 60 * 30)),
        ArticleView(
            title: "Local library saved by a crowd-funding campaign",
            link: "https://www.bbc.co.uk/news/uk/c4library",
            summary: "Residents raised £80,000 in three weeks.",
            published: Fixtures.time(minutesAgo: 60 * 24 * 3)),
    ]

    static let newsPage = NewsPage(
        id: "bbc", name: "BBC News", headline: headline, articles: articles,
        lastFetched: Fixtures.time(minutesAgo: 3), failure: nil, neverFetched: false)

    static let failingNewsPage = NewsPage(
        id: "bbc", name: "BBC News", headline: headline, articles: articles,
        lastFetched: Fixtures.time(minutesAgo: 12),
        failure: FailureBanner(message: "HTTP 503", since: Fixtures.time(minutesAgo: 10)),
        neverFetched: false)

    static let neverFetchedNewsPage = NewsPage(
        id: "reuters", name: "Reuters", headline: nil, articles: [],
        lastFetched: nil, failure: nil, neverFetched: true)

    static let homePage = HomePage(cards: [
        PublicationCard(id: "bbc", name: "BBC News", headline: headline,
                        lastFetched: Fixtures.time(minutesAgo: 3), failing: false, neverFetched: false),
        PublicationCard(
            id: "cnn", name: "CNN",
            headline: ArticleView(
                title: "Markets rally as inflation cools for a third month",
                link: "https://edition.cnn.com/2026/11/25/business/markets",
                summary: "The S&P 500 closed at a record high on Tuesday after new data showed prices rising more slowly.",
                thumbnailURL: "https://media.cnn.com/api/v1/images/markets.jpg",
                published: Fixtures.time(minutesAgo: 75)),
            lastFetched: Fixtures.time(minutesAgo: 14), failing: true, neverFetched: false),
        PublicationCard(id: "reuters", name: "Reuters", headline: nil, lastFetched: nil,
                        failing: false, neverFetched: true),
    ])

    static let signedOutHome = HomeSignedOutPage(gateSummary: "members of acme", signInURL: "/login")

    static let notFound = NotFoundPage(
        message: "There is no publication called “foo”.",
        publications: [PublicationLink(id: "bbc", name: "BBC News"), PublicationLink(id: "cnn", name: "CNN")],
        allPublicationsURL: "/publications")

    static let mePage = MePage(
        avatarURL: "https://avatars.githubusercontent.com/u/583231?v=4", name: "The Octocat", login: "octocat",
        githubID: 583231, admittedBy: "member of acme",
        membershipChecked: Fixtures.time(minutesAgo: 4), sessionExpires: Fixtures.time(minutesAgo: -60 * 24 * 6),
        csrfToken: "csrf-me-token")

    static let publicationsPage = PublicationsPage(
        publications: [PublicationLink(id: "bbc", name: "BBC News"), PublicationLink(id: "cnn", name: "CNN")], total: 250,
        pagination: Pagination(page: 1, pageCount: 3, path: "/publications"))

    static let statusPage = StatusPage(rows: [
        StatusRow(id: "bbc", name: "BBC News", lastFetch: Fixtures.time(minutesAgo: 3), httpStatus: 200, error: nil,
                  failingSince: nil, nextTry: Fixtures.time(minutesAgo: -7), articleCount: 48, consecutiveFailures: 0),
        StatusRow(id: "cnn", name: "CNN", lastFetch: Fixtures.time(minutesAgo: 14), httpStatus: 503,
                  error: "HTTP 503 Service Unavailable", failingSince: Fixtures.time(minutesAgo: 10),
                  nextTry: Fixtures.time(minutesAgo: -5), articleCount: 37, consecutiveFailures: 3),
        StatusRow(id: "reuters", name: "Reuters", lastFetch: nil, httpStatus: nil, error: nil, failingSince: nil,
                  nextTry: Fixtures.time(minutesAgo: 0), articleCount: 0, consecutiveFailures: 0),
    ], summary: StatusSummary(ok: 1, failing: 1, waiting: 1, oldestSuccess: Fixtures.time(minutesAgo: 14)),
       pagination: Pagination(page: 1, pageCount: 2, path: "/status"))

    static let deniedPage = DeniedPage(
        reason: "You are not a member of the acme organization on GitHub.",
        detail: "Ask an owner of acme to invite you, then try again.",
        githubLogin: "octocat", tryAgainURL: "/login")

    static let logoutPage = LogoutPage(csrfToken: "csrf-logout-token")

    static let errorPage = ErrorPage(
        status: 500, title: "Something went wrong", message: "newsroom couldn't load this page. Try again in a moment.")

    static let member = NavMember(
        login: "octocat", avatarURL: "https://avatars.githubusercontent.com/u/583231?v=4", csrfToken: "csrf-abc123")

    static func navPublications(current: String?) -> [NavPublication] {
        [("bbc", "BBC News"), ("cnn", "CNN"), ("reuters", "Reuters")].map {
            NavPublication(id: $0.0, name: $0.1, isCurrent: $0.0 == current)
        }
    }

    static func signedInLayout(title: String, current: String? = "bbc", flash: String? = nil) -> LayoutContext {
        LayoutContext(title: title, publications: navPublications(current: current), member: member, flash: flash)
    }

    /// Every page as a file name and full HTML document.
    static func allPages(_ renderer: PageRenderer) -> [(name: String, html: String)] {
        [
            ("home-signed-out", renderer.renderPage(signedOutHome, layout: LayoutContext(title: "Welcome", signInURL: "/login"))),
            ("home", renderer.renderPage(homePage, layout: signedInLayout(title: "Headlines", current: nil))),
            ("news", renderer.renderPage(newsPage, layout: signedInLayout(title: "BBC News"))),
            ("news-failing", renderer.renderPage(failingNewsPage, layout: signedInLayout(title: "BBC News"))),
            ("news-never-fetched", renderer.renderPage(neverFetchedNewsPage, layout: signedInLayout(title: "Reuters", current: "reuters"))),
            ("not-found", renderer.renderPage(notFound, layout: signedInLayout(title: "Not found", current: nil))),
            ("me", renderer.renderPage(mePage, layout: signedInLayout(title: "Your account", current: nil, flash: "Welcome back, octocat!"))),
            ("status", renderer.renderPage(statusPage, layout: signedInLayout(title: "Feed status", current: nil))),
            ("publications", renderer.renderPage(publicationsPage, layout: LayoutContext(
                title: "All publications", publications: navPublications(current: nil), member: member, allPublicationsIsCurrent: true))),
            ("denied", renderer.renderPage(deniedPage, layout: LayoutContext(title: "Access denied"))),
            ("logout", renderer.renderPage(logoutPage, layout: signedInLayout(title: "Sign out", current: nil))),
            ("error", renderer.renderPage(errorPage, layout: LayoutContext(title: "Error"))),
        ]
    }
}

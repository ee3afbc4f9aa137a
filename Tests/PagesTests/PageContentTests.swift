import Foundation
import Testing
@testable import Pages

/// Every page renders the content a reader needs.
@Suite struct PageContentTests {
    @Test func newsPageShowsHeadlineListAndLastFetched() async throws {
        let html = try await Fixtures.renderer().renderFragment(Samples.newsPage)
        #expect(html.contains("<h1>BBC News</h1>"))
        #expect(html.contains(#"<a href="https://www.bbc.co.uk/news/articles/c0climate">Leaders agree on new climate finance deal after overnight talks</a>"#))
        #expect(html.contains("Negotiators in Belém reached agreement"))
        #expect(html.contains(#"src="https://ichef.bbci.co.uk/news/1024/branded_news/climate.jpg" alt="" loading="lazy""#))
        #expect(html.contains(#"Last fetched <time datetime="2026-11-25T09:37:00Z" title="2026-11-25 09:37 UTC">3 minutes ago</time>"#))
        #expect(html.contains(#"<time datetime="2026-11-25T09:02:00Z" title="2026-11-25 09:02 UTC">38 minutes ago</time>"#))
        #expect(html.contains("Justin Rowlatt"))
        #expect(html.contains("Rail strike called off"))
        #expect(html.contains("3 days ago"))
        // The headline (first of the sample articles) is not repeated in the list.
        #expect(html.components(separatedBy: #"<li class="article-item">"#).count - 1 == Samples.articles.count - 1)
        #expect(html.components(separatedBy: "Leaders agree on new climate finance deal").count - 1 == 1)
        #expect(!html.contains("Couldn’t refresh"))
        #expect(!html.contains("No articles yet"))
    }

    @Test func newsPageListsAtMostTwentyArticles() async throws {
        let many = (1...25).map { ArticleView(title: "Story number \($0)", link: "https://a.example/\($0)") }
        let page = NewsPage(id: "x", name: "X", headline: many[0], articles: many,
                            lastFetched: nil, failure: nil, neverFetched: false)
        #expect(page.articles.count == 20)
        let html = try await Fixtures.renderer().renderFragment(page)
        #expect(html.contains("Story number 1<"))  // the headline
        #expect(html.contains("Story number 21<"))
        #expect(!html.contains("Story number 22<"))
    }

    @Test func failingFeedShowsQuietBannerAndStillTheArticles() async throws {
        let html = try await Fixtures.renderer().renderFragment(Samples.failingNewsPage)
        #expect(html.contains(#"Couldn’t refresh since <time datetime="2026-11-25T09:30:00Z" title="2026-11-25 09:30 UTC">10 minutes ago</time>: HTTP 503 — showing the last good articles."#))
        #expect(html.contains("Leaders agree on new climate finance deal"))
    }

    @Test func neverFetchedFeedShowsFriendlyMessageInsteadOfEmptyList() async throws {
        let html = try await Fixtures.renderer().renderFragment(Samples.neverFetchedNewsPage)
        #expect(html.contains("No articles yet"))
        #expect(html.contains("hasn’t fetched Reuters yet"))
        #expect(!html.contains("<ol"))
        #expect(!html.contains("Last fetched"))
    }

    @Test func fetchedButEmptyFeedSaysSo() async throws {
        let page = NewsPage(id: "x", name: "Quiet Times", headline: nil, articles: [],
                            lastFetched: Fixtures.time(minutesAgo: 1), failure: nil, neverFetched: false)
        let html = try await Fixtures.renderer().renderFragment(page)
        #expect(html.contains("Quiet Times’s feed had no articles"))
        #expect(!html.contains("<ol"))
    }

    @Test func homeShowsACardPerHealthyPublicationAndFailingOnesQuietlyAfter() async throws {
        let html = try await Fixtures.renderer().renderFragment(Samples.homePage)
        #expect(html.components(separatedBy: #"<li class="card">"#).count - 1 == 2)
        #expect(html.contains(#"<a href="/news/bbc">BBC News</a>"#))
        #expect(html.contains("Leaders agree on new climate finance deal"))
        #expect(html.contains("38 minutes ago"))
        #expect(html.contains("Waiting for the first fetch"))
        // CNN's fetch fails: it is listed after the cards, by name and headline, without image or summary.
        let quiet = try #require(html.range(of: #"<section class="quiet""#))
        #expect(html.range(of: #"<li class="card">"#, options: .backwards)!.lowerBound < quiet.lowerBound)
        let section = String(html[quiet.lowerBound...])
        #expect(section.contains("Couldn’t refresh recently"))
        #expect(section.contains(#"<a class="quiet__name" href="/news/cnn">CNN</a>"#))
        #expect(section.contains("Markets rally as inflation cools"))
        #expect(!html.contains("The S&amp;P 500 closed"))
        #expect(!html.contains("markets.jpg"))
        #expect(!html.contains(#"class="pagination""#), "one page: no page links")
    }

    @Test func homeLinksToNewerAndOlderPages() async throws {
        let renderer = try await Fixtures.renderer()
        let middle = renderer.renderFragment(HomePage(cards: Samples.homePage.cards,
                                                      pagination: Pagination(page: 2, pageCount: 3, path: "/", previousLabel: "← Newer", nextLabel: "Older →")))
        #expect(middle.contains(#"<a class="button button--small" href="/" rel="prev">← Newer</a>"#))
        #expect(middle.contains(#"<a class="button button--small" href="/?page=3" rel="next">Older →</a>"#))
        #expect(middle.contains("Page 2 of 3"))
        let last = renderer.renderFragment(HomePage(cards: [], pagination: Pagination(page: 3, pageCount: 3, path: "/")))
        #expect(last.contains(#"href="/?page=2" rel="prev""#) && !last.contains(#"rel="next""#))
    }

    @Test func paginationClampsAndCountsPages() {
        #expect(Pagination.pageCount(total: 0, perPage: 30) == 1)
        #expect(Pagination.pageCount(total: 30, perPage: 30) == 1)
        #expect(Pagination.pageCount(total: 31, perPage: 30) == 2)
        #expect(Pagination.pageCount(total: 1000, perPage: 30) == 34)
        let first = Pagination(page: 1, pageCount: 34, path: "/status")
        #expect(first.previousURL == nil && first.nextURL == "/status?page=2" && first.isNeeded)
        #expect(Pagination(page: 40, pageCount: 34, path: "/").page == 34)
        #expect(!Pagination(page: 1, pageCount: 1, path: "/").isNeeded)
    }

    /// A card is short whatever the feed sends: long titles and summaries are cut, long URLs left off.
    @Test func aCardShowsAShortenedHeadline() throws {
        let long = ArticleView(title: String(repeating: "t", count: 1000), link: "https://a.example/" + String(repeating: "l", count: 2000),
                               summary: String(repeating: "s", count: 600), thumbnailURL: "https://i.example/" + String(repeating: "i", count: 2000))
        let card = PublicationCard(id: "x", name: "X", headline: long, lastFetched: nil, failing: false, neverFetched: false)
        let headline = try #require(card.headline)
        #expect(headline.title.count == PublicationCard.maxTitleCharacters && headline.title.hasSuffix("…"))
        #expect(headline.summary?.count == PublicationCard.maxSummaryCharacters)
        #expect(headline.href == nil && headline.thumbnailURL == nil)
        let short = PublicationCard(id: "x", name: "X", headline: Samples.headline, lastFetched: nil, failing: false, neverFetched: false)
        #expect(short.headline == Samples.headline, "an ordinary headline is shown whole")
    }

    @Test func allPublicationsListsNamesCompactlyWithPages() async throws {
        let html = try await Fixtures.renderer().renderFragment(Samples.publicationsPage)
        #expect(html.contains("<h1>All publications</h1>"))
        #expect(html.contains("250 in the catalog"))
        #expect(html.contains(#"<ul class="directory">"#))
        #expect(html.contains(#"<li><a href="/news/cnn">CNN</a></li>"#))
        #expect(html.contains(#"href="/publications?page=2" rel="next""#))
    }

    @Test func signedOutHomeExplainsAndOffersSignIn() async throws {
        let html = try await Fixtures.renderer().renderFragment(Samples.signedOutHome)
        #expect(html.contains("Open to <strong>members of acme</strong>"))
        #expect(html.contains(#"href="/login">"#))
        #expect(html.contains("Sign in with GitHub</a>"))
    }

    @Test func notFoundListsPublications() async throws {
        let html = try await Fixtures.renderer().renderFragment(Samples.notFound)
        #expect(html.contains("There is no publication called “foo”."))
        #expect(html.contains(#"<li><a href="/news/cnn">CNN</a></li>"#))
        #expect(html.contains(#"<a href="/publications">All publications</a>"#))
    }

    @Test func mePageShowsIdentitySessionAndSignOut() async throws {
        let html = try await Fixtures.renderer().renderFragment(Samples.mePage)
        #expect(html.contains("<h1>The Octocat</h1>"))
        #expect(html.contains("@octocat on GitHub"))
        #expect(html.contains("583231"))
        #expect(html.contains("member of acme"))
        #expect(html.contains("4 minutes ago"))
        #expect(html.contains("in 6 days"))
        #expect(html.contains(#"<input type="hidden" name="csrf" value="csrf-me-token">"#))
        #expect(html.contains(#"alt="Avatar of octocat""#))
    }

    @Test func mePageFallsBackToLoginWithoutName() async throws {
        let page = MePage(avatarURL: nil, name: "  ", login: "octocat", githubID: 1, admittedBy: "listed user",
                          membershipChecked: Fixtures.time(minutesAgo: 1), sessionExpires: Fixtures.time(minutesAgo: -60),
                          csrfToken: "t")
        let html = try await Fixtures.renderer().renderFragment(page)
        #expect(html.contains("<h1>octocat</h1>"))
        #expect(!html.contains("<img"))
    }

    @Test func statusPageShowsEveryRow() async throws {
        let html = try await Fixtures.renderer().renderFragment(Samples.statusPage)
        #expect(html.contains("HTTP 503 Service Unavailable"))
        #expect(html.contains("3 in a row"))
        #expect(html.contains(#"<td class="num">48</td>"#))
        #expect(html.contains("<td>200</td>"))
        #expect(html.contains(#"<span class="muted">never</span>"#))
        #expect(html.contains(#"<tr class="is-failing">"#))
        #expect(html.contains("in 7 minutes"))
        #expect(html.contains(#"<p class="status-summary" role="status"><strong>1 ok</strong> · <strong class="status-error">1 failing</strong> · 1 waiting for a first fetch · oldest successful fetch <time"#))
        #expect(html.contains("Page 1 of 2"))
    }

    @Test func deniedPageSaysWhyAndWhoAndHowToRetry() async throws {
        let html = try await Fixtures.renderer().renderFragment(Samples.deniedPage)
        #expect(html.contains("You are not a member of the acme organization on GitHub."))
        #expect(html.contains("Ask an owner of acme to invite you"))
        #expect(html.contains("You are signed in to GitHub as <strong>octocat</strong>"))
        #expect(html.contains(#"<a class="button button--primary" href="/login">Try again</a>"#))
    }

    @Test func deniedPageRendersHTTPSDetailAsLink() async throws {
        let page = DeniedPage(reason: "acme restricts third-party apps.",
                              detail: "https://github.com/settings/connections/applications/abc", tryAgainURL: "/login")
        let html = try await Fixtures.renderer().renderFragment(page)
        #expect(html.contains(#"<a href="https://github.com/settings/connections/applications/abc" rel="noopener noreferrer">"#))
        #expect(!html.contains("signed in to GitHub as"))
    }

    @Test func logoutAndErrorPages() async throws {
        let renderer = try await Fixtures.renderer()
        let logout = renderer.renderFragment(Samples.logoutPage)
        #expect(logout.contains(#"<form method="post" action="/logout">"#))
        #expect(logout.contains(#"value="csrf-logout-token""#))
        #expect(logout.contains(#"<button class="button button--primary" type="submit">Sign out</button>"#))

        let error = renderer.renderFragment(ErrorPage(status: 400, title: "Bad request", message: "That link is malformed."))
        #expect(error.contains(#"<p class="status-code">400</p>"#))
        #expect(error.contains("<h1>Bad request</h1>"))
        #expect(error.contains("That link is malformed."))
    }

    @Test func emptyListsRenderWithoutCrashing() async throws {
        let renderer = try await Fixtures.renderer()
        #expect(renderer.renderFragment(HomePage(cards: [])).contains("No publications are configured yet"))
        #expect(renderer.renderFragment(StatusPage(rows: [])).contains("No publications are configured."))
        #expect(!renderer.renderFragment(NotFoundPage(message: "Gone.", publications: [])).contains("<ul"))
        let bare = NewsPage(id: "", name: "", headline: nil, articles: [], lastFetched: nil, failure: nil, neverFetched: false)
        #expect(!renderer.renderFragment(bare).contains("<ol"))
        let page = renderer.renderPage(bare, layout: LayoutContext(title: ""))
        #expect(page.hasSuffix("</html>\n"))
    }
}

@Suite struct BlankValueTests {
    @Test func blankTitleGetsAPlaceholderSoLinksHaveText() {
        #expect(ArticleView(title: "  ", link: "https://a.example/").title == "Untitled article")
        #expect(ArticleView(title: "x", link: "https://a.example/", summary: "\n ", author: "").summary == nil)
    }

    @Test func blankPageTitleShowsJustTheSiteName() async throws {
        let html = try await Fixtures.renderer().wrap(fragmentHTML: "", layout: LayoutContext(title: " "))
        #expect(html.contains("<title>newsroom</title>"))
    }

    @Test func neverFetchedStatusRowSaysSoInsteadOfOK() async throws {
        let html = try await Fixtures.renderer().renderFragment(StatusPage(rows: [StatusRow(
            id: "r", name: "Reuters", lastFetch: nil, httpStatus: nil, error: nil, failingSince: nil,
            nextTry: nil, articleCount: 0, consecutiveFailures: 0)]))
        #expect(html.contains("waiting for the first fetch"))
        #expect(!html.contains(">OK<"))
    }
}

import Testing
@testable import Pages

/// Hostile text from feeds, GitHub profiles and error messages never becomes markup.
@Suite struct EscapingTests {
    static let script = "<script>alert(1)</script>"
    static let attributeBreakout = #""><img src=x onerror=alert(1)>"#
    static let singleQuoteBreakout = "' onmouseover='alert(1)"

    static func assertInert(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!html.contains("<script"), sourceLocation: sourceLocation)
        #expect(!html.contains("<img src=x"), sourceLocation: sourceLocation)
        #expect(!html.contains("onerror=alert(1)>"), sourceLocation: sourceLocation)
        #expect(!html.contains("' onmouseover='"), sourceLocation: sourceLocation)
    }

    @Test func articleFieldsAreEscaped() async throws {
        let hostile = ArticleView(
            title: Self.script + Self.attributeBreakout, link: "https://a.example/?q=" + Self.attributeBreakout,
            summary: Self.attributeBreakout, author: Self.script + Self.singleQuoteBreakout,
            thumbnailURL: "https://img.example/a.jpg?x=\"onload=alert(1)", published: Fixtures.time(minutesAgo: 1))
        let page = NewsPage(id: "x", name: Self.script, headline: hostile, articles: [hostile, hostile],
                            lastFetched: nil, failure: FailureBanner(message: Self.script, since: Fixtures.time(minutesAgo: 2)),
                            neverFetched: false)
        let html = try await Fixtures.renderer().renderFragment(page)
        Self.assertInert(html)
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("&#39; onmouseover=&#39;alert(1)"))
        #expect(html.contains(#"x=&quot;onload=alert(1)""#))
    }

    @Test func homeCardsEscapeNamesAndHeadlines() async throws {
        let card = PublicationCard(
            id: Self.attributeBreakout, name: Self.script,
            headline: ArticleView(title: Self.script, link: "https://a.example/", summary: Self.attributeBreakout),
            lastFetched: nil, failing: false, neverFetched: false)
        let html = try await Fixtures.renderer().renderFragment(HomePage(cards: [card]))
        Self.assertInert(html)
    }

    @Test func ampersandsAreEscapedExactlyOnce() async throws {
        let article = ArticleView(title: "Tom & Jerry", link: "https://a.example/?a=1&b=2",
                                  summary: "Already escaped in the feed: &amp; stays literal")
        let page = NewsPage(id: "x", name: "AT&T News", headline: article, articles: [],
                            lastFetched: nil, failure: nil, neverFetched: false)
        let html = try await Fixtures.renderer().renderFragment(page)
        #expect(html.contains(">Tom &amp; Jerry</a>"))
        #expect(html.contains(#"href="https://a.example/?a=1&amp;b=2""#))
        // Titles are text, not HTML: a literal "&amp;" in the text must show as "&amp;" to the reader.
        #expect(html.contains("Already escaped in the feed: &amp;amp; stays literal"))
        #expect(html.contains("<h1>AT&amp;T News</h1>"))
        #expect(!html.contains("&amp;amp;amp;"))
    }

    @Test func accountPagesEscapeLoginsNamesAndMessages() async throws {
        let renderer = try await Fixtures.renderer()
        let me = MePage(avatarURL: nil, name: Self.script, login: Self.attributeBreakout, githubID: 1,
                        admittedBy: Self.script, membershipChecked: Fixtures.time(minutesAgo: 1),
                        sessionExpires: Fixtures.time(minutesAgo: -1), csrfToken: Self.attributeBreakout)
        Self.assertInert(renderer.renderFragment(me))

        let denied = DeniedPage(reason: Self.script, detail: Self.attributeBreakout,
                                githubLogin: Self.script, tryAgainURL: "/login")
        Self.assertInert(renderer.renderFragment(denied))

        let error = ErrorPage(status: 500, title: Self.script, message: Self.attributeBreakout)
        Self.assertInert(renderer.renderFragment(error))

        let status = StatusPage(rows: [StatusRow(
            id: Self.script, name: Self.script, lastFetch: nil, httpStatus: nil, error: Self.attributeBreakout,
            failingSince: nil, nextTry: nil, articleCount: 0, consecutiveFailures: 1)])
        Self.assertInert(renderer.renderFragment(status))

        let notFound = NotFoundPage(message: Self.script, publications: [PublicationLink(id: "a", name: Self.script)])
        Self.assertInert(renderer.renderFragment(notFound))

        Self.assertInert(renderer.renderFragment(HomeSignedOutPage(gateSummary: Self.script, signInURL: "/login")))
    }

    @Test func layoutEscapesTitleLoginFlashAndToken() async throws {
        let layout = LayoutContext(
            title: Self.script,
            publications: [NavPublication(id: "x", name: Self.attributeBreakout)],
            member: NavMember(login: Self.script, avatarURL: nil, csrfToken: Self.attributeBreakout),
            flash: Self.script + Self.singleQuoteBreakout)
        let html = try await Fixtures.renderer().wrap(fragmentHTML: "<p>body</p>", layout: layout)
        Self.assertInert(html)
        #expect(html.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; · newsroom</title>"))
    }

    @Test func droppedLinksRenderTitleAsPlainText() async throws {
        let renderer = try await Fixtures.renderer()
        for link in ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>"] {
            let article = ArticleView(title: "Click me", link: link, thumbnailURL: "http://insecure.example/a.jpg")
            let page = NewsPage(id: "x", name: "X", headline: article, articles: [article],
                                lastFetched: nil, failure: nil, neverFetched: false)
            let html = renderer.renderFragment(page)
            #expect(!html.contains("javascript:"))
            #expect(!html.contains("data:"))
            #expect(!html.contains("insecure.example"))
            #expect(!html.contains("<img"))
            #expect(html.contains(#"<h2 class="lead__title" id="lead-title">Click me</h2>"#))
        }
    }

    @Test func missingNestedValueNeverShowsAnOuterValue() async throws {
        // Mustache looks up missing keys in enclosing objects; an article without a link or
        // thumbnail must not pick up a link from elsewhere on the page.
        let withLink = ArticleView(title: "Linked", link: "https://a.example/linked",
                                   thumbnailURL: "https://img.example/linked.jpg")
        let bare = ArticleView(title: "Bare", link: "javascript:x")
        let page = NewsPage(id: "x", name: "X", headline: withLink, articles: [bare],
                            lastFetched: nil, failure: nil, neverFetched: false)
        let html = try await Fixtures.renderer().renderFragment(page)
        #expect(html.components(separatedBy: "https://a.example/linked").count - 1 == 1)
        #expect(html.components(separatedBy: "https://img.example/linked.jpg").count - 1 == 1)
        #expect(html.contains(#"<h3 class="article-item__title">Bare</h3>"#))
    }
}

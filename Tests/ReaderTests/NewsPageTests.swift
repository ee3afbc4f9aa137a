import Foundation
import Testing
import AppTestSupport
import Storage

/// `/news/{id}`: the current headline first, then up to 20 recent articles; case-insensitive ids; 404s that help;
/// honest empty and failing states; and a page that changes as soon as the refresher stores a change.
@Suite struct NewsPageTests {
    @Test func signedOutVisitorsAreSentToSignInAndBack() async throws {
        try await Reader.run { r in
            let page = try await r.h.browser().get("/news/bbc")
            #expect(page.status == 302)
            #expect(page.location == "/login?next=/news/bbc")
            #expect(!page.body.contains("BBC"))
            let withQuery = try await r.h.browser().get("/news/bbc?page=2")
            #expect(withQuery.location == "/login?next=/news/bbc%3Fpage%3D2")
        }
    }

    /// Also on PostgreSQL: pages read the same through either engine.
    @Test(arguments: StorageEngine.available) func showsTheHeadlineProminentlyThenTwentyRecentArticles(engine: StorageEngine) async throws {
        try await Reader.run(engine: engine) { r in
            try await r.fetch("bbc")
            let page = try await r.member().get("/news/bbc")
            #expect(page.status == 200)
            #expect(page.body.contains("<title>BBC News · newsroom</title>"))
            let lead = page.section(from: #"<article class="lead""#, to: "</article>")
            #expect(lead.contains(#"<h2 class="lead__title" id="lead-title"><a href="https://news.example/bbc/1">BBC story 1</a></h2>"#))
            #expect(lead.contains(#"<p class="lead__summary">What happened in BBC story 1.</p>"#))
            #expect(lead.contains(#"<span class="meta__author">Reporter 1</span>"#))
            // Published two hours before the test clock's 2026-05-28 20:26:40 UTC.
            #expect(lead.contains(#"<time datetime="2026-05-28T18:26:40Z" title="2026-05-28 18:26 UTC">2 hours ago</time>"#))

            let list = page.section(from: #"<ol class="article-list">"#, to: "</ol>")
            #expect(list.components(separatedBy: #"<li class="article-item">"#).count - 1 == 20)
            #expect(!list.contains(">BBC story 1<"), "the headline is not repeated in the list")
            #expect(list.contains(#"<a href="https://news.example/bbc/2">BBC story 2</a>"#))
            #expect(list.contains(">BBC story 21<"))
            #expect(!list.contains(">BBC story 22<"))
            #expect(list.contains(#"title="2026-05-28 17:26 UTC">3 hours ago</time>"#))
            #expect(page.body.contains(#"Last fetched <time datetime="2026-05-28T20:26:40Z" title="2026-05-28 20:26 UTC">just now</time>"#))
            // The nav marks where the reader is.
            #expect(page.body.contains(#"<a href="/news/bbc" aria-current="page">BBC News</a>"#))
        }
    }

    @Test func idsAreCaseInsensitive() async throws {
        try await Reader.run { r in
            try await r.fetch("bbc")
            let browser = try await r.member()
            let lower = try await browser.get("/news/bbc")
            let upper = try await browser.get("/news/BBC")
            #expect(upper.status == 200)
            #expect(upper.body.contains(">BBC story 1</a>"))
            #expect(upper.body == lower.body)
            #expect(try await browser.get("/news/Bbc").status == 200)
        }
    }

    @Test func unknownPublicationIsA404ThatListsThePublications() async throws {
        try await Reader.run { r in
            let browser = try await r.member()
            for path in ["/news/nope", "/news/bbc-x", "/news/caf%C3%A9", "/no/such/page"] {
                let page = try await browser.get(path)
                #expect(page.status == 404, "\(path)")
                #expect(page.header("Content-Type") == "text/html; charset=utf-8")
                #expect(page.body.contains("Page not found"), "\(path)")
                #expect(page.body.contains(#"<li><a href="/news/cnn">CNN</a></li>"#), "\(path)")
                #expect(page.body.contains(#"<li><a href="/news/bbc">BBC News</a></li>"#), "\(path)")
                #expect(page.body.contains(#"<li><a href="/news/quiet">Quiet Times</a></li>"#), "\(path)")
            }
        }
    }

    /// Also on PostgreSQL: pages read the same through either engine.
    @Test(arguments: StorageEngine.available) func aPublicationRemovedFromTheCatalogIsA404(engine: StorageEngine) async throws {
        try await Reader.run(engine: engine) { r in
            try await r.fetch("bbc")
            let browser = try await r.member()
            let catalog = catalogJSON([("cnn", "CNN", r.feeds.url(Reader.cnnFeed))])
            try Data(catalog.utf8).write(to: URL(fileURLWithPath: r.h.config.feedsPath))
            await r.h.watcher.reloadIfChanged()
            let page = try await browser.get("/news/bbc")
            #expect(page.status == 404)
            let listed = page.section(from: #"<div class="message-page">"#, to: "</div>")
            #expect(listed.contains(#"<li><a href="/news/cnn">CNN</a></li>"#))
            #expect(!listed.contains("/news/bbc"))
            // The edit reaches the navbar at once (the watcher drops the cached links), with the clock standing still.
            #expect(!(try await browser.get("/").body.contains(#"href="/news/bbc""#)))
        }
    }

    /// Whole pages are cached per session: one member's navbar (and sign-out token) never reaches another.
    /// Also on PostgreSQL: pages read the same through either engine.
    @Test(arguments: StorageEngine.available) func cachedPagesAreNeverSharedBetweenSessions(engine: StorageEngine) async throws {
        try await Reader.run(engine: engine) { r in
            try await r.fetch("bbc")
            let first = try await r.member(), second = try await r.member()
            func csrf(_ page: Page) -> String? { page.body.firstMatch(of: /name="csrf" value="([^"]+)"/).map { String($0.1) } }
            let firstOwn = try #require(csrf(try await first.get("/me")))
            let secondOwn = try #require(csrf(try await second.get("/me")))
            #expect(firstOwn != secondOwn)
            for _ in 0..<2 {  // the second round is served from the cache
                #expect(csrf(try await first.get("/news/bbc")) == firstOwn)
                #expect(csrf(try await second.get("/news/bbc")) == secondOwn)
            }
            // A signed-out browser with no cookie never gets a cached member page.
            #expect(try await r.h.browser().get("/news/bbc").status == 302)
        }
    }

    @Test func aRenamedPublicationShowsItsNewNameOnTheCachedPageAtOnce() async throws {
        try await Reader.run { r in
            try await r.fetch("bbc")
            let browser = try await r.member()
            _ = try await browser.get("/news/bbc")
            #expect(try await browser.get("/news/bbc").body.contains("<h1>BBC News</h1>"))  // now served from the cache
            let catalog = catalogJSON([("bbc", "The Beeb", r.feeds.url(Reader.bbcFeed)), ("cnn", "CNN", r.feeds.url(Reader.cnnFeed))])
            try Data(catalog.utf8).write(to: URL(fileURLWithPath: r.h.config.feedsPath))
            await r.h.watcher.reloadIfChanged()
            let page = try await browser.get("/news/bbc").body
            #expect(page.contains("<h1>The Beeb</h1>"))
            #expect(page.contains(#">The Beeb</a>"#))
            #expect(!page.contains("BBC News"))
        }
    }

    @Test func aNeverFetchedPublicationSaysSoInsteadOfShowingAnEmptyList() async throws {
        try await Reader.run { r in
            let page = try await r.member().get("/news/quiet")
            #expect(page.status == 200)
            #expect(page.body.contains("No articles yet"))
            #expect(page.body.contains("newsroom hasn’t fetched Quiet Times yet"))
            #expect(!page.body.contains("article-list"))
            #expect(!page.body.contains("Last fetched"))
            #expect(!page.body.contains("Nothing to read right now"))
        }
    }

    /// Also on PostgreSQL: pages read the same through either engine.
    @Test(arguments: StorageEngine.available) func aFailedLatestFetchShowsAQuietBannerAndTheLastGoodArticles(engine: StorageEngine) async throws {
        try await Reader.run(engine: engine) { r in
            try await r.fetch("bbc")
            let browser = try await r.member()
            r.h.clock.advance(by: 600)
            try await r.h.store.recordFetchFailure(publicationID: "bbc", error: "HTTP 503", httpStatus: 503, at: r.h.clock.now,
                                             nextDueAt: r.h.clock.now.addingTimeInterval(60))
            r.h.clock.advance(by: 300)
            try await r.h.store.recordFetchFailure(publicationID: "bbc", error: "timed out after 20 s", httpStatus: nil, at: r.h.clock.now,
                                             nextDueAt: r.h.clock.now.addingTimeInterval(60))
            let page = try await browser.get("/news/bbc")
            #expect(page.status == 200)
            let banner = page.section(from: #"<p class="banner" role="status">"#, to: "</p>")
            // Failing since the first of the two failures (10 minutes after the success), not the latest.
            #expect(banner.contains(#"Couldn’t refresh since <time datetime="2026-05-28T20:36:40Z" title="2026-05-28 20:36 UTC">5 minutes ago</time>"#))
            #expect(banner.contains("timed out after 20 s"))
            #expect(!banner.contains("HTTP 503"), "the banner shows the latest error")
            #expect(page.body.contains(">BBC story 1</a>"))
            #expect(page.body.contains(">BBC story 21</a>"))
            #expect(page.body.contains("Last fetched"))
        }
    }

    @Test func aFailingFeedFetchedByTheRefresherShowsTheBannerAtOnce() async throws {
        try await Reader.run { r in
            try await r.fetch("bbc")
            let browser = try await r.member()
            #expect(!(try await browser.get("/news/bbc")).body.contains("class=\"banner\""))
            r.feeds.publish(nil, at: Reader.bbcFeed)
            let results = try await r.fetch("bbc")
            #expect(results.first?.status == .failed("HTTP 404"))
            let page = try await browser.get("/news/bbc")
            #expect(page.body.contains(#"<p class="banner" role="status">"#))
            #expect(page.body.contains("HTTP 404"))
            #expect(page.body.contains(">BBC story 1</a>"))
        }
    }

    @Test func aRefreshThatChangesTheHeadlineShowsOnTheNextView() async throws {
        try await Reader.run { r in
            try await r.fetch("bbc")
            let browser = try await r.member()
            let before = try await browser.get("/news/bbc")
            #expect(before.section(from: #"<article class="lead""#, to: "</article>").contains(">BBC story 1</a>"))
            let home = try await browser.get("/")
            #expect(home.body.contains(">BBC story 1</a>"))

            let breaking = FeedItem(title: "Breaking: the river rises", link: "https://news.example/bbc/breaking",
                                    summary: "Water everywhere.", published: r.h.clock.now)
            let items = [breaking] + RSS.items("BBC", count: 25, first: r.hoursAgo(2))
            r.feeds.publish(RSS.document(title: "BBC News", items: items), at: Reader.bbcFeed)
            // The clock stands still: only the refresher's change callback can make the cached page stale.
            let results = try await r.fetch("bbc")
            #expect(results.first?.status == .updated(inserted: 1, updated: 0))

            let after = try await browser.get("/news/bbc")
            let lead = after.section(from: #"<article class="lead""#, to: "</article>")
            #expect(lead.contains(#"<a href="https://news.example/bbc/breaking">Breaking: the river rises</a>"#))
            #expect(after.section(from: #"<ol class="article-list">"#, to: "</ol>").contains(">BBC story 1</a>"))
            let homeAfter = try await browser.get("/")
            #expect(homeAfter.section(from: #"id="card-bbc""#, to: "</article>").contains("Breaking: the river rises"))
        }
    }

    @Test func aFeedWithFewerThanTwentyArticlesListsThemAll() async throws {
        try await Reader.run { r in
            try await r.fetch("cnn")
            let page = try await r.member().get("/news/cnn")
            #expect(page.count(of: #"<li class="article-item">"#) == 2)
            #expect(page.body.contains(">CNN story 1</a>"))
        }
    }

    @Test func anArticleWithoutATitleStillGetsALinkText() async throws {
        try await Reader.run { r in
            let untitled = ArticleInput(guid: "u1", link: "https://news.example/cnn/untitled", published: r.hoursAgo(1))
            try await r.h.store.recordFetchSuccess(publicationID: "cnn", articles: [untitled], etag: nil, lastModified: nil, httpStatus: 200,
                                             fetchedAt: r.h.clock.now, nextDueAt: r.h.clock.now.addingTimeInterval(900))
            let page = try await r.member().get("/news/cnn")
            #expect(page.body.contains(#"<a href="https://news.example/cnn/untitled">Untitled article</a>"#))
        }
    }
}

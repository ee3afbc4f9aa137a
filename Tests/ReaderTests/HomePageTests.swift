import Foundation
import Testing
import AppTestSupport
import Newsroom

/// `/`: who may sign in when signed out; one card per publication, in catalog order, when signed in.
@Suite struct HomePageTests {
    @Test func signedOutHomeSaysWhoMaySignInAndLinksToLogin() async throws {
        try await Reader.run { r in
            let page = try await r.h.browser().get("/")
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.body.contains("Open to <strong>members of acme</strong>"))
            #expect(page.body.contains(#"href="/login"><svg"#))
            #expect(page.body.contains("Sign in with GitHub</a>"))
            // Nothing of the members' world leaks to anonymous visitors.
            #expect(!page.body.contains("BBC News"))
            #expect(!page.body.contains("/logout"))
        }
    }

    @Test func signedOutHomeNamesEveryKindOfRule() async throws {
        let gate = GateRules(org: "acme", teams: [.init(org: "acme", slug: "editors")], users: ["hubot"])
        try await Reader.run(gate: gate) { r in
            let page = try await r.h.browser().get("/")
            #expect(page.body.contains("members of acme or members of acme/editors or hubot"))
        }
    }

    @Test func signedInHomeShowsOneCardPerPublicationInCatalogOrder() async throws {
        try await Reader.run { r in
            try await r.fetch("bbc", "cnn")
            let page = try await r.member().get("/")
            #expect(page.status == 200)
            #expect(page.count(of: #"<li class="card">"#) == 3)
            let positions = ["card-cnn", "card-bbc", "card-quiet"].compactMap { page.body.range(of: #"id="\#($0)""#)?.lowerBound }
            #expect(positions.count == 3)
            #expect(positions == positions.sorted(), "cards are not in catalog order")

            let bbc = page.section(from: #"id="card-bbc""#, to: "</article>")
            #expect(bbc.contains(#"<a href="/news/bbc">BBC News</a>"#))
            #expect(bbc.contains(#"<a href="https://news.example/bbc/1">BBC story 1</a>"#))
            #expect(bbc.contains("What happened in BBC story 1."))
            #expect(!bbc.contains("BBC story 2<"), "a card shows only the current headline")
            let cnn = page.section(from: #"id="card-cnn""#, to: "</article>")
            #expect(cnn.contains(#"<a href="https://news.example/cnn/1">CNN story 1</a>"#))
            let quiet = page.section(from: #"id="card-quiet""#, to: "</article>")
            #expect(quiet.contains("Waiting for the first fetch"))
        }
    }

    @Test func theHeadlineIsTheFeedsFirstItemNotTheNewest() async throws {
        try await Reader.run { r in
            // The publisher ranks an older story first.
            let items = [FeedItem(title: "Ranked first", link: "https://news.example/ranked", published: r.hoursAgo(5)),
                         FeedItem(title: "Newer but second", link: "https://news.example/newer", published: r.hoursAgo(1))]
            r.feeds.publish(RSS.document(title: "BBC News", items: items), at: Reader.bbcFeed)
            try await r.fetch("bbc")
            let page = try await r.member().get("/")
            let bbc = page.section(from: #"id="card-bbc""#, to: "</article>")
            #expect(bbc.contains("Ranked first"))
            #expect(!bbc.contains("Newer but second"))
        }
    }
}

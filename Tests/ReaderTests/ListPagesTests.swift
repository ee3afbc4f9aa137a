import Foundation
import Testing
import AppTestSupport
import Newsroom

/// The lists of every publication (`/`, `/status`, `/publications`) are cached like a publication's page: what the
/// refresher stores and what a catalog edit changes reaches them at the next view, though the clock stands still.
@Suite struct ListPagesTests {
    @Test func aFailingFetchMovesThePublicationToTheQuietEndOfHomeAndTheTopOfStatus() async throws {
        try await Reader.run { r in
            try await r.fetch("bbc", "cnn")
            let member = try await r.member()
            let home = try await member.get("/")
            #expect(home.body.contains(#"<h2 class="card__publication" id="card-bbc">"#))
            let status = try await member.get("/status")
            #expect(status.body.contains("<strong>2 ok</strong>"))
            #expect(status.body.contains("1 waiting for a first fetch"))

            r.feeds.publish(nil, at: Reader.bbcFeed)
            #expect(try await r.fetch("bbc").first?.status == .failed("HTTP 404"))

            let homeAfter = try await member.get("/")
            #expect(!homeAfter.body.contains(#"<h2 class="card__publication" id="card-bbc">"#))
            let quiet = homeAfter.section(from: #"<section class="quiet""#, to: "</section>")
            #expect(quiet.contains(#"<a class="quiet__name" href="/news/bbc">BBC News</a>"#))
            #expect(quiet.contains("BBC story 1"), "the last good headline, quietly")
            let statusAfter = try await member.get("/status")
            #expect(statusAfter.body.contains("<strong>1 ok</strong>"))
            #expect(statusAfter.body.contains(#"<strong class="status-error">1 failing</strong>"#))
            let firstRow = statusAfter.section(from: "<tbody>", to: "</tr>")
            #expect(firstRow.contains(#"<tr class="is-failing">"#) && firstRow.contains("(bbc)"), "failing feeds come first")
        }
    }

    @Test func theMostRecentlyUpdatedPublicationLeadsTheHomePage() async throws {
        try await Reader.run { r in
            try await r.fetch("bbc", "cnn")
            let member = try await r.member()
            func order() async throws -> [String] {
                try await member.get("/").body.components(separatedBy: #"<h2 class="card__publication" id="card-"#).dropFirst()
                    .map { String($0.prefix { $0 != "\"" }) }
            }
            #expect(try await order() == ["cnn", "bbc", "quiet"], "same moment: catalog order; never fetched last")

            r.h.clock.advance(by: 60)
            let breaking = FeedItem(title: "BBC breaking", link: "https://news.example/bbc/breaking", published: r.h.clock.now)
            r.feeds.publish(RSS.document(title: "BBC News", items: [breaking] + RSS.items("BBC", count: 3, first: r.hoursAgo(2))),
                            at: Reader.bbcFeed)
            try await r.fetch("bbc")
            #expect(try await order() == ["bbc", "cnn", "quiet"])

            // Fetching the same articles again changes nothing a reader sees: the order stays.
            r.h.clock.advance(by: 60)
            try await r.fetch("cnn")
            #expect(try await order() == ["bbc", "cnn", "quiet"])
        }
    }

    @Test func aRepeatViewOfAListIsTheSamePageAndAnotherMembersHasTheirOwnHeader() async throws {
        try await Reader.run { r in
            try await r.fetch("bbc")
            let octocat = try await r.member()
            let first = try await octocat.get("/status")
            let again = try await octocat.get("/status")
            #expect(first.body == again.body)
            let other = try await r.h.signedIn(as: "hubot", admittedBy: "listed user")
            let theirs = try await other.get("/status")
            #expect(theirs.body.contains(#"<span class="account__login">hubot</span>"#))
            #expect(!theirs.body.contains(#"<span class="account__login">octocat</span>"#))
            #expect(theirs.body.contains("(bbc)"))
        }
    }

    @Test func listsNeedASignInAndRefuseWrites() async throws {
        try await Reader.run { r in
            let anonymous = r.h.browser()
            for path in ["/status", "/publications", "/publications?page=2"] {
                let page = try await anonymous.get(path)
                #expect(page.status == 302, "\(path)")
                #expect(page.location?.hasPrefix("/login?next=") == true, "\(path)")
            }
            let member = try await r.member()
            #expect(try await member.post("/publications", form: []).status == 405)
        }
    }

    @Test func aCatalogEditReachesTheListOfAllPublications() async throws {
        try await Reader.run { r in
            let member = try await r.member()
            let before = try await member.get("/publications")
            #expect(before.body.contains("3 in the catalog"))
            #expect(before.body.contains(#"<li><a href="/news/quiet">Quiet Times</a></li>"#))
            let catalog = catalogJSON([("cnn", "CNN", r.feeds.url(Reader.cnnFeed)), ("bbc", "BBC World", r.feeds.url(Reader.bbcFeed))])
            try catalog.write(toFile: r.h.config.feedsPath, atomically: true, encoding: .utf8)
            await r.h.watcher.reloadIfChanged()
            let after = try await member.get("/publications")
            #expect(after.body.contains("2 in the catalog"))
            #expect(after.body.contains(#"<li><a href="/news/bbc">BBC World</a></li>"#))
            #expect(!after.body.contains("Quiet Times"))
        }
    }
}

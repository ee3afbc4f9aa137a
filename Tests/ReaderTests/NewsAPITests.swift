import Foundation
import Testing
import AppTestSupport
import Storage

/// `/api/news/{id}`: the news page's data as JSON, for members only, with ISO-8601 dates.
@Suite struct NewsAPITests {
    struct Body: Decodable {
        struct Publication: Decodable {
            var id: String
            var name: String
            var lastFetchedAt: Date?
            var lastError: String?
            var failingSince: Date?
        }
        struct Article: Decodable {
            var title: String?
            var link: String?
            var summary: String?
            var author: String?
            var published: Date?
            var thumbnail: String?
        }
        var publication: Publication
        var headline: Article?
        var articles: [Article]
    }

    static func decode(_ page: Page) async throws -> Body {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Body.self, from: Data(page.body.utf8))
    }

    static func errorMessage(_ page: Page) async throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: String]
        return try #require(object?["error"])
    }

    @Test func signedOutIsA401InJSON() async throws {
        try await Reader.run { r in
            let page = try await r.h.browser().get("/api/news/bbc")
            #expect(page.status == 401)
            #expect(page.header("Content-Type") == "application/json; charset=utf-8")
            await #expect(try Self.errorMessage(page) == "sign in required")
            #expect(page.location == nil, "an API answers, it does not redirect to a sign-in page")
        }
    }

    @Test func membersGetThePublicationHeadlineAndArticles() async throws {
        try await Reader.run { r in
            try await r.fetch("bbc")
            let page = try await r.member().get("/api/news/bbc")
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "application/json; charset=utf-8")
            let body = try await Self.decode(page)
            #expect(body.publication.id == "bbc")
            #expect(body.publication.name == "BBC News")
            #expect(body.publication.lastFetchedAt == r.h.clock.now)
            #expect(body.publication.lastError == nil)
            let headline = try #require(body.headline)
            #expect(headline.title == "BBC story 1")
            #expect(headline.link == "https://news.example/bbc/1")
            #expect(headline.summary == "What happened in BBC story 1.")
            #expect(headline.author == "Reporter 1")
            #expect(headline.published == r.hoursAgo(2))
            #expect(body.articles.count == 20)
            #expect(body.articles.map(\.title) == (1...20).map { "BBC story \($0)" })
            // Dates on the wire are ISO-8601 in UTC.
            #expect(page.body.contains(#""lastFetchedAt":"2026-05-28T20:26:40Z""#))
            #expect(page.body.contains(#""published":"2026-05-28T18:26:40Z""#))
        }
    }

    @Test func idsAreCaseInsensitiveAndUnknownOnesAre404JSON() async throws {
        try await Reader.run { r in
            try await r.fetch("bbc")
            let member = try await r.member()
            let upper = try await member.get("/api/news/BBC")
            #expect(upper.status == 200)
            await #expect(try Self.decode(upper).publication.id == "bbc")
            let unknown = try await member.get("/api/news/nope")
            #expect(unknown.status == 404)
            #expect(unknown.header("Content-Type") == "application/json; charset=utf-8")
            await #expect(try Self.errorMessage(unknown) == "no publication 'nope'")
        }
    }

    @Test func aNeverFetchedOrFailingPublicationSaysSo() async throws {
        try await Reader.run { r in
            let member = try await r.member()
            let quiet = try await Self.decode(try await member.get("/api/news/quiet"))
            #expect(quiet.publication.lastFetchedAt == nil)
            #expect(quiet.headline == nil)
            #expect(quiet.articles.isEmpty)

            try await r.fetch("cnn")
            r.h.clock.advance(by: 60)
            r.feeds.publish("this is not a feed", at: Reader.cnnFeed)
            try await r.fetch("cnn")
            let cnn = try await Self.decode(try await member.get("/api/news/cnn"))
            #expect(cnn.publication.lastError?.isEmpty == false)
            #expect(cnn.publication.failingSince == r.h.clock.now)
            #expect(cnn.headline?.title == "CNN story 1", "the last good articles stay")
            #expect(cnn.articles.count == 3)
        }
    }

    /// Scripts reading the API get no URL a page would refuse: links are http(s), thumbnails https.
    @Test func unsafeLinksAndThumbnailsAreLeftOutAsOnThePages() async throws {
        try await Reader.run { r in
            let unsafe = [
                ArticleInput(guid: "a", link: "javascript:alert(1)", title: "Script link", thumbnail: "data:image/png;base64,AAAA"),
                ArticleInput(guid: "b", link: " JAVASCRIPT:alert(2)", title: "Spaced script", thumbnail: "http://img.example/x.jpg"),
                ArticleInput(guid: "c", link: "https://news.example/c", title: "Fine", thumbnail: "https://img.example/c.jpg"),
            ]
            try await r.h.store.recordFetchSuccess(publicationID: "cnn", articles: unsafe, etag: nil, lastModified: nil, httpStatus: 200,
                                             fetchedAt: r.h.clock.now, nextDueAt: r.h.clock.now.addingTimeInterval(900))
            let body = try await Self.decode(try await r.member().get("/api/news/cnn"))
            let byTitle = Dictionary(uniqueKeysWithValues: body.articles.map { ($0.title ?? "", $0) })
            #expect(byTitle["Script link"]?.link == nil && byTitle["Script link"]?.thumbnail == nil)
            #expect(byTitle["Spaced script"]?.link == nil && byTitle["Spaced script"]?.thumbnail == nil, "no mixed content either")
            #expect(byTitle["Fine"]?.link == "https://news.example/c" && byTitle["Fine"]?.thumbnail == "https://img.example/c.jpg")
            #expect(body.headline?.link == nil, "the headline is held to the same policy")
        }
    }
}

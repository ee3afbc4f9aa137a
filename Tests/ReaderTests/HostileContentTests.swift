import Foundation
import Testing
import AppTestSupport
import Storage

/// Feed text is data, never markup: whatever a hostile feed says reaches pages escaped, links only as http(s),
/// thumbnails only as https.
@Suite struct HostileContentTests {
    /// Markup a page must never contain, however the feed dressed it up.
    static let forbidden = ["<script", "<img src=x", "<svg onload", "<b>bold</b>", "<i>summary</i>", "href=\"javascript:",
                            "href=\"  JaVaScRiPt", "href=\"JaVaScRiPt", "src=\"http://evil.example", "src=\"data:"]

    /// What Mustache's `{{…}}` makes of text.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }

    @Test func aHostileFeedFetchedForRealIsEscapedOnEveryPage() async throws {
        try await Reader.run { r in
            r.feeds.publish(HostileFeed.text, at: Reader.bbcFeed)
            let results = try await r.fetch("bbc")
            #expect(results.first?.status == .updated(inserted: 3, updated: 0))
            let stored = try await r.h.store.recentArticles(of: "bbc", limit: 10)
            // The store keeps the hostile text as text (markup-looking characters included): escaping is the page's doing.
            #expect(stored.count == 3)
            #expect(stored.contains { ($0.title ?? "").contains("<script>alert(1)</script>") })
            #expect(stored.contains { ($0.summary ?? "").contains("<script>alert(2)</script>") })
            #expect(stored.contains { ($0.author ?? "").hasPrefix("\"") })

            let browser = try await r.member()
            for path in ["/news/bbc", "/"] {
                let page = try await browser.get(path)
                #expect(page.status == 200)
                for markup in Self.forbidden {
                    #expect(!page.body.contains(markup), "\(path) contains \(markup)")
                }
                #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt; Markets rally"), "\(path)")
            }
            let news = try await browser.get("/news/bbc")
            // Every stored text field shows, escaped, on the news page.
            for article in stored {
                for text in [article.title, article.summary, article.author].compactMap({ $0 }) {
                    #expect(news.body.contains(Self.escaped(text)), "not shown escaped: \(text)")
                }
            }
            // The javascript: items show their titles unlinked; the https thumbnail is the only image from the feed.
            let second = try #require(stored.first { $0.title?.hasSuffix("Second") == true }?.title)
            #expect(news.body.contains(#"<h3 class="article-item__title">\#(Self.escaped(second))</h3>"#))
            #expect(news.body.contains(#"<h3 class="article-item__title">Third with a data thumbnail</h3>"#))
            #expect(news.body.contains(#"src="https://images.example/safe.jpg""#))
            #expect(news.count(of: #"class="article-item__image thumb""#) + news.count(of: #"class="lead__image thumb""#) == 1)
            // The quote in the headline's link cannot close the attribute: the link is either escaped or dropped.
            let lead = news.section(from: #"<h2 class="lead__title""#, to: "</h2>")
            #expect(lead.contains("&lt;script&gt;alert(1)&lt;/script&gt; Markets rally"))
            #expect(!lead.contains(#"?x=">"#))

            // The JSON API carries the same text, escaped as JSON and never interpreted.
            let api = try await browser.get("/api/news/bbc")
            let body = try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as? [String: Any]
            let headline = try #require(body?["headline"] as? [String: Any])
            #expect((headline["title"] as? String)?.contains("<script>alert(1)</script>") == true)
        }
    }

    @Test func hostileTextStoredDirectlyIsEscapedToo() async throws {
        try await Reader.run { r in
            let hostile = ArticleInput(
                guid: "h1", link: "javascript:alert(1)", title: "</title><script>alert(1)</script>",
                summary: "\"><img src=x onerror=alert(1)>", author: "'><svg onload=alert(1)>",
                published: r.hoursAgo(1), thumbnail: "http://evil.example/x.jpg")
            try await r.h.store.recordFetchSuccess(publicationID: "cnn", articles: [hostile], etag: nil, lastModified: nil, httpStatus: 200,
                                             fetchedAt: r.h.clock.now, nextDueAt: r.h.clock.now.addingTimeInterval(900))
            let browser = try await r.member()
            for path in ["/news/cnn", "/"] {
                let page = try await browser.get(path)
                for markup in Self.forbidden { #expect(!page.body.contains(markup), "\(path) contains \(markup)") }
                #expect(page.body.contains("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), "\(path)")
                #expect(page.body.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), "\(path)")
                #expect(page.count(of: "<title>") == 1)
            }
            let news = try await browser.get("/news/cnn")
            #expect(news.body.contains(#"<span class="meta__author">&#39;&gt;&lt;svg onload=alert(1)&gt;</span>"#))
            #expect(news.body.contains(#"<h2 class="lead__title" id="lead-title">&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h2>"#),
                    "the javascript: link is dropped, the title shows unlinked")
        }
    }
}

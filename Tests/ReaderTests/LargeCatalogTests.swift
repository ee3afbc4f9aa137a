import Foundation
import Testing
import AppTestSupport
import Newsroom

/// The pages at 1 000 publications. Rows are bulk-inserted with SQL (as a fetch would leave them, 21 articles
/// each), not fetched: these tests are about the size, order and links of the pages, not the refresher. Timing
/// belongs to `make bench`.
///
/// The catalog is p0001 … p1000 in that order. Each publication's articles last changed a minute before the one
/// listed before it, except p0555, changed last of all; every hundredth (p0100 … p1000) is failing; p0999 was
/// never fetched.
@Suite struct LargeCatalogTests {
    static let count = 1000
    static let failing = stride(from: 100, through: 1000, by: 100).map(id)
    static let neverFetched = "p0999"

    static func id(_ number: Int) -> String { String(format: "p%04d", number) }

    static func run(_ body: @Sendable (AppHarness, Browser) async throws -> Void) async throws {
        let catalog = catalogJSON((1...count).map { (id($0), "Publication \(id($0).dropFirst())", "https://feeds.example/\(id($0)).xml") })
        try await AppHarness.run(catalog: { _ in catalog }) { h in
            _ = try await h.sqlite(seedSQL(now: h.clock.now))
            try await body(h, try await h.signedIn(as: "octocat"))
        }
    }

    /// What 1 000 fetches would have stored, in one statement batch.
    static func seedSQL(now: Date) -> String {
        let now = Int(now.timeIntervalSince1970)
        let failing = Self.failing.map { "'\($0)'" }.joined(separator: ", ")
        return """
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
            INSERT INTO articles (publicationID, dedupeKey, title, link, summary, published, thumbnail, feedPosition, firstSeenAt)
            SELECT p.id, 'guid:' || p.id || '-' || n.i,
                'Story ' || n.i || ' from ' || p.name || ': ministers weigh a plan to rebuild the harbour wall before winter',
                'https://news.example/' || p.id || '/2026/05/28/harbour-wall-plan-story-' || n.i,
                'Residents gathered on the quay as ministers weighed the cost and the timetable of a new sea wall, story ' || n.i || '.',
                \(now) - 600 * n.i - p.position, 'https://images.example/' || p.id || '/' || n.i || '/976x549.jpg', n.i, \(now - 3600)
            FROM publications p, n WHERE p.id <> '\(neverFetched)';
            UPDATE publications SET lastFetchAttemptAt = \(now - 60), lastSuccessAt = \(now - 60) - position, lastHTTPStatus = 200,
                contentChangedAt = \(now) - 60 * (position + 1), nextDueAt = \(now + 840)
            WHERE id <> '\(neverFetched)';
            UPDATE publications SET contentChangedAt = \(now) WHERE id = 'p0555';
            UPDATE publications SET lastError = 'HTTP 503', lastHTTPStatus = 503, failingSince = \(now - 1800), consecutiveFailures = 3
            WHERE id IN (\(failing));
            """
    }

    /// The ids a page links to with this markup, in page order.
    static func ids(in text: String, after marker: String) -> [String] {
        text.components(separatedBy: marker).dropFirst().map { String($0.prefix(5)) }
    }

    @Test func homeShowsThirtyPublicationsAPageMostRecentlyUpdatedFirstAndFailingOnesQuietlyLast() async throws {
        try await Self.run { _, member in
            let first = try await member.get("/")
            #expect(first.status == 200)
            #expect(first.body.utf8.count < 60_000, "/ is \(first.body.utf8.count) bytes")
            let cards = Self.ids(in: first.body, after: #"<h2 class="card__publication" id="card-"#)
            #expect(cards == ["p0555"] + (1...29).map(Self.id))
            #expect(first.body.contains("Page 1 of 34"))
            #expect(first.body.contains(#"href="/?page=2" rel="next">Older →</a>"#))
            #expect(!first.body.contains(#"rel="prev""#))
            #expect(!first.body.contains(#"class="quiet""#))

            // The never-fetched publication ends the healthy ones; the ten failing ones fill the last page, quietly.
            let page33 = try await member.get("/?page=33")
            #expect(Self.ids(in: page33.body, after: #"id="card-"#).last == Self.neverFetched)
            #expect(page33.body.contains("Waiting for the first fetch"))
            let last = try await member.get("/?page=34")
            #expect(last.status == 200)
            #expect(last.count(of: #"<li class="card">"#) == 0)
            #expect(Self.ids(in: last.body, after: #"<li id="card-"#) == Self.failing)
            #expect(last.body.contains(#"href="/?page=33" rel="prev">← Newer</a>"#) && !last.body.contains(#"rel="next""#))

            for missing in ["/?page=35", "/?page=0", "/?page=x", "/?page=-1"] {
                #expect(try await member.get(missing).status == 404, "\(missing)")
            }
        }
    }

    /// Even with every headline as long as storage keeps it (and URLs too long to show), the page stays small.
    @Test func homeStaysUnderItsBoundWithTheLongestHeadlines() async throws {
        try await Self.run { h, member in
            _ = try await h.sqlite("""
                UPDATE articles SET title = substr(replace(hex(zeroblob(1000)), '0', 'T'), 1, 1000),
                    summary = substr(replace(hex(zeroblob(600)), '0', 'S'), 1, 600),
                    link = 'https://news.example/' || replace(hex(zeroblob(1000)), '0', 'l'),
                    thumbnail = 'https://images.example/' || replace(hex(zeroblob(1000)), '0', 'i')
                WHERE feedPosition = 0;
                """)
            let page = try await member.get("/")
            #expect(page.count(of: #"<li class="card">"#) == 30)
            #expect(page.body.utf8.count < 60_000, "/ is \(page.body.utf8.count) bytes")
        }
    }

    @Test func theNavbarListsTheFirstFewPublicationsThenAllPublications() async throws {
        try await Self.run { _, member in
            for path in ["/", "/status", "/me", "/publications", "/news/p0002"] {
                let page = try await member.get(path)
                let nav = page.section(from: #"<nav class="site-nav""#, to: "</nav>")
                #expect(Self.ids(in: nav, after: #"<li><a href="/news/"#) == (1...5).map(Self.id), "\(path)")
                #expect(nav.contains(#"href="/publications""#) && nav.contains(">All publications</a>"), "\(path)")
            }
            // A publication further down the catalog joins the navbar on its own page, marked as the current one.
            let news = try await member.get("/news/p0555")
            let nav = news.section(from: #"<nav class="site-nav""#, to: "</nav>")
            #expect(nav.components(separatedBy: "<li>").count - 1 == 6)
            #expect(nav.contains(#"<a href="/news/p0555" aria-current="page">Publication 0555</a>"#))
        }
    }

    @Test func aPublicationsPageStaysSmall() async throws {
        try await Self.run { _, member in
            let page = try await member.get("/news/p0555")
            #expect(page.status == 200)
            #expect(page.count(of: #"<li class="article-item">"#) == 20)
            #expect(page.body.utf8.count < 30_000, "/news/p0555 is \(page.body.utf8.count) bytes")
            let me = try await member.get("/me")
            #expect(me.body.utf8.count < 30_000)
        }
    }

    @Test func statusListsFailingFeedsFirstAHundredAPageUnderASummary() async throws {
        try await Self.run { _, member in
            let page = try await member.get("/status")
            #expect(page.status == 200)
            let summary = page.section(from: #"<p class="status-summary""#, to: "</p>")
            #expect(summary.contains("<strong>989 ok</strong>"))
            #expect(summary.contains(">10 failing</strong>"))
            #expect(summary.contains("1 waiting for a first fetch"))
            #expect(summary.contains("oldest successful fetch <time"))
            let rows = Self.ids(in: page.body, after: #"<span class="muted">("#)
            #expect(rows.count == 100)
            #expect(Array(rows.prefix(10)) == Self.failing)
            #expect(Array(rows.dropFirst(10)) == (1...90).map(Self.id))
            #expect(page.count(of: #"<tr class="is-failing">"#) == 10)
            #expect(page.body.contains(#"<td class="num">21</td>"#), "article counts as stored")
            #expect(page.body.contains("Page 1 of 10"))
            #expect(page.body.contains(#"href="/status?page=2" rel="next""#))

            let last = try await member.get("/status?page=10")
            let healthy = (1...Self.count).map(Self.id).filter { !Self.failing.contains($0) }
            #expect(Self.ids(in: last.body, after: #"<span class="muted">("#) == Array(healthy.suffix(100)))
            #expect(try await member.get("/status?page=11").status == 404)
        }
    }

    @Test func allPublicationsIsACompactListAHundredAPage() async throws {
        try await Self.run { _, member in
            let page = try await member.get("/publications")
            #expect(page.status == 200)
            let listed = Self.ids(in: page.section(from: #"<ul class="directory">"#, to: "</ul>"), after: #"<li><a href="/news/"#)
            #expect(listed == (1...100).map(Self.id))
            #expect(page.body.contains("1000 in the catalog"))
            #expect(page.body.contains("Page 1 of 10"))
            #expect(page.body.contains(#"<a class="site-nav__all" href="/publications" aria-current="page">"#))
            #expect(page.body.utf8.count < 30_000)
            let last = try await member.get("/publications?page=10")
            #expect(Self.ids(in: last.section(from: #"<ul class="directory">"#, to: "</ul>"), after: #"<li><a href="/news/"#)
                    == (901...1000).map(Self.id))
            #expect(try await member.get("/publications?page=11").status == 404)
        }
    }
}

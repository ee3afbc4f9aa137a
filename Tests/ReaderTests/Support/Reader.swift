import Foundation
import Testing
import AppTestSupport
import Newsroom
import Storage

/// The real app with three publications served by a `FeedHost`: `cnn` and `bbc` (fetched when a test says so)
/// and `quiet` (never fetched). Catalog order is cnn, bbc, quiet. The background refresher is off: tests fetch
/// through the app's own `refresher`, whose change callback is what keeps the page cache honest.
struct Reader: Sendable {
    let h: AppHarness
    let feeds: FeedHost

    static let bbcFeed = "/bbc.xml", cnnFeed = "/cnn.xml", quietFeed = "/quiet.xml"

    static func run(mode: AppHarness.Mode = .router(), gate: GateRules = GateRules(org: "acme"), engine: StorageEngine = .sqlite,
                    _ body: @Sendable (Reader) async throws -> Void) async throws {
        let feeds = try FeedHost()
        defer { feeds.server.stop() }
        let catalog = catalogJSON([
            ("cnn", "CNN", feeds.url(cnnFeed)), ("bbc", "BBC News", feeds.url(bbcFeed)), ("quiet", "Quiet Times", feeds.url(quietFeed)),
        ])
        try await AppHarness.run(gate: gate, mode: mode, catalog: { _ in catalog }, runsRefresher: false, engine: engine) { h in
            let reader = Reader(h: h, feeds: feeds)
            // 25 BBC items, newest two hours old; 3 CNN items.
            feeds.publish(RSS.document(title: "BBC News", items: RSS.items("BBC", count: 25, first: reader.hoursAgo(2))), at: bbcFeed)
            feeds.publish(RSS.document(title: "CNN", items: RSS.items("CNN", count: 3, first: reader.hoursAgo(1))), at: cnnFeed)
            try await body(reader)
        }
    }

    func hoursAgo(_ hours: Double) -> Date { h.clock.now.addingTimeInterval(-3600 * hours) }

    /// Fetches these publications now with the app's refresher (a real HTTP fetch from the feed host).
    @discardableResult
    func fetch(_ ids: String...) async throws -> [RefreshResult] {
        let listed = try await h.store.publications().filter { ids.contains($0.id) }
        try #require(listed.count == ids.count, "unknown publication among \(ids)")
        return await h.refresher.refresh(listed)
    }

    /// A browser signed in as octocat (member of acme), its sign-in flash already seen.
    func member() async throws -> Browser {
        try await h.signedIn(as: "octocat")
    }
}

extension Page {
    /// How many times `text` occurs in the body.
    func count(of text: String) -> Int { body.components(separatedBy: text).count - 1 }

    /// The body between the first `start` and the next `end` after it ("" when absent).
    func section(from start: String, to end: String) -> String {
        guard let from = body.range(of: start) else { return "" }
        let rest = body[from.lowerBound...]
        guard let to = rest.range(of: end, range: rest.index(rest.startIndex, offsetBy: start.count)..<rest.endIndex) else { return String(rest) }
        return String(rest[..<to.upperBound])
    }
}

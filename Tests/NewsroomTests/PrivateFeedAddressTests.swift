import Foundation
import Testing
import Curl
import Storage
import TestSupport
@testable import Newsroom

/// Feeds never reach internal addresses except their own configured host (security review, issue 9 item 3).
/// Loopback stands in for the internal network: a feed configured on `localhost` is the operator's choice,
/// a redirect from it to `127.0.0.1` is a publisher reaching into the server's network.
@Suite struct PrivateFeedAddressTests {
    private static let blocked = "blocked: private address"

    /// A second loopback server holding "internal" content, and a feed on `localhost` that redirects to it.
    private struct RedirectingFeed {
        let internalServer: LoopbackHTTPServer
        let feed: LoopbackHTTPServer
        var configuredURL: String { "http://localhost:\(feed.port)/feed" }

        init() throws {
            internalServer = try LoopbackHTTPServer.serving(files: ["/feed": (contentType: "application/rss+xml", bytes: try RealFeeds.bytes(RealFeeds.bbc))])
            feed = try LoopbackHTTPServer { [port = internalServer.port] _ in .redirect(to: "http://127.0.0.1:\(port)/feed") }
        }
    }

    @Test func redirectToAnotherInternalHostIsRecordedAsBlockedAndStoresNothing() async throws {
        let site = try RedirectingFeed()
        let h = try RefresherHarness()
        try await h.register([("bbc", site.configuredURL)])

        let result = try await h.refresh("bbc")

        #expect(result.status == .failed(Self.blocked))
        let record = try await h.record("bbc")
        #expect(record.lastError == Self.blocked)
        #expect(record.consecutiveFailures == 1)
        await #expect(try h.articles("bbc").isEmpty)
        #expect(site.feed.requests.count == 1)
        #expect(site.internalServer.requests.isEmpty)
    }

    @Test func allowingPrivateFeedsFollowsTheSameRedirect() async throws {
        let site = try RedirectingFeed()
        let h = try RefresherHarness()
        var dependencies = h.dependencies
        dependencies.allowPrivateFeedAddresses = true
        let refresher = FeedRefresher(store: h.store, dependencies: dependencies, logger: .quiet)
        try await h.register([("bbc", site.configuredURL)])

        let result = await refresher.refresh(try h.record("bbc"))

        #expect(result.status.isUpdated, "\(result.status)")
        await #expect(try h.headline("bbc") == RealFeeds.bbcFirstTitle)
        await #expect(try h.record("bbc").lastError == nil)
    }

    @Test func feedOnItsOwnConfiguredInternalHostIsFetched() async throws {
        let server = try LoopbackHTTPServer.serving(files: ["/rss.xml": (contentType: "application/rss+xml", bytes: try RealFeeds.bytes(RealFeeds.bbc))])
        let h = try RefresherHarness()
        try await h.register([("bbc", "http://localhost:\(server.port)/rss.xml")])

        let result = try await h.refresh("bbc")

        #expect(result.status.isUpdated, "\(result.status)")
        await #expect(try h.headline("bbc") == RealFeeds.bbcFirstTitle)
    }

    @Test func refresherAsksForPublicAddressesExceptItsOwnHost() async throws {
        let h = try RefresherHarness()
        try await h.register([("bbc", "https://feeds.bbci.co.uk/news/rss.xml")])
        let record = try await h.record("bbc")
        #expect(h.refresher.connectPolicy(for: record) == .publicAddressesOnly(exceptHostOf: "https://feeds.bbci.co.uk/news/rss.xml"))
        var open = h.dependencies
        open.allowPrivateFeedAddresses = true
        #expect(FeedRefresher(store: h.store, dependencies: open, logger: .quiet).connectPolicy(for: record) == .anyAddress)
    }

    /// Whether the internal port is open or closed, /status shows the same text: feeds cannot scan the network.
    @Test func openAndClosedInternalPortsLookTheSameInStorage() async throws {
        let open = try LoopbackHTTPServer { _ in .text("an internal admin page") }
        let closed = try LoopbackHTTPServer { _ in .text("unused") }
        let closedPort = closed.port
        closed.stop()
        let toOpen = try LoopbackHTTPServer { _ in .redirect(to: "http://127.0.0.1:\(open.port)/") }
        let toClosed = try LoopbackHTTPServer { _ in .redirect(to: "http://127.0.0.1:\(closedPort)/") }
        let h = try RefresherHarness()
        try await h.register([("a", "http://localhost:\(toOpen.port)/"), ("b", "http://localhost:\(toClosed.port)/")])

        _ = await h.refresher.refresh([try h.record("a"), try h.record("b")])

        await #expect(try h.record("a").lastError == Self.blocked)
        await #expect(try h.record("b").lastError == Self.blocked)
        #expect(open.requests.isEmpty)
    }

    @Test(arguments: [
        ([:], false), (["NEWSROOM_ALLOW_PRIVATE_FEEDS": ""], false), (["NEWSROOM_ALLOW_PRIVATE_FEEDS": "0"], false),
        (["NEWSROOM_ALLOW_PRIVATE_FEEDS": "false"], false), (["NEWSROOM_ALLOW_PRIVATE_FEEDS": "1"], true),
        (["NEWSROOM_ALLOW_PRIVATE_FEEDS": "true"], true), (["NEWSROOM_ALLOW_PRIVATE_FEEDS": " TRUE "], true),
    ] as [([String: String], Bool)])
    func allowPrivateFeedsSetting(environment: [String: String], allowed: Bool) throws {
        let dependencies = try AppDependencies.live(client: CurlClient(), environment: environment)
        #expect(dependencies.allowPrivateFeedAddresses == allowed)
    }

    /// A typo must not open the internal network: anything but 1/0/true/false is refused, naming the variable.
    @Test(arguments: ["yes", "on", "2", "ture", "1 # allow"])
    func unclearAllowPrivateFeedsValueIsRefused(value: String) {
        #expect(throws: ConfigError.notAFlag(variable: "NEWSROOM_ALLOW_PRIVATE_FEEDS", value: value)) {
            try AppDependencies.live(client: CurlClient(), environment: ["NEWSROOM_ALLOW_PRIVATE_FEEDS": value])
        }
    }
}

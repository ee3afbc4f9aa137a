import Foundation
import Synchronization
import Testing
import Curl
import TestSupport
@testable import Newsroom

/// A run over many publications keeps at most `maxConcurrentRefreshes` of them in progress (issue 11, memory): each one
/// in progress holds a transfer, then its whole body, then its parsed entries, so the window bounds what a round holds.
@Suite struct RefreshWindowTests {
    /// Counts the requests the refresher has handed to the HTTP client and not yet got back.
    private final class InFlight: Sendable {
        private let counts = Mutex((now: 0, most: 0))
        func enter() { counts.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
        func leave() { counts.withLock { $0.now -= 1 } }
        var most: Int { counts.withLock { $0.most } }
    }

    /// A refresher whose transport counts what is in flight; the loopback server holds every response a little, so
    /// without a window all the publications would be waiting on the client at once.
    private func run(publications: Int, window: Int?, failing: Set<Int> = []) async throws -> (results: [RefreshResult], most: Int) {
        let bytes = try RealFeeds.bytes(RealFeeds.bbc)
        let server = try LoopbackHTTPServer { request in
            usleep(100_000)
            if failing.contains(where: { request.pathWithoutQuery == "/feed/\($0)" }) { return .text("boom", status: 500) }
            return ScriptedResponse(status: 200, headers: [(name: "Content-Type", value: "application/rss+xml")], body: bytes)
        }
        let h = try RefresherHarness()
        let inFlight = InFlight()
        var dependencies = h.dependencies
        let send = dependencies.http
        dependencies.http = { request throws(CurlError) in
            inFlight.enter()
            defer { inFlight.leave() }
            return try await send(request)
        }
        let refresher = window.map { FeedRefresher(store: h.store, dependencies: dependencies, logger: .quiet, maxConcurrentRefreshes: $0) }
            ?? FeedRefresher(store: h.store, dependencies: dependencies, logger: .quiet)
        try await h.register((0..<publications).map { (id: "p\($0)", url: server.baseURL + "/feed/\($0)") })

        let results = await refresher.refresh(try h.store.publications())
        return (results, inFlight.most)
    }

    @Test func aRunKeepsAtMostTheWindowInProgressAndRefreshesEveryPublication() async throws {
        let (results, most) = try await run(publications: 12, window: 3, failing: [4, 9])

        #expect(most == 3)
        #expect(results.map(\.publicationID) == (0..<12).map { "p\($0)" })
        #expect(results.filter(\.status.isUpdated).count == 10)
        #expect(results[4].status == .failed("HTTP 500"))
        #expect(results[9].status == .failed("HTTP 500"))
    }

    @Test func theDefaultWindowBoundsALargeRound() async throws {
        let publications = FeedRefresher.defaultMaxConcurrentRefreshes + 8

        let (results, most) = try await run(publications: publications, window: nil)

        #expect(most <= FeedRefresher.defaultMaxConcurrentRefreshes)
        #expect(results.count == publications)
        #expect(results.filter(\.status.isUpdated).count == publications)
    }
}

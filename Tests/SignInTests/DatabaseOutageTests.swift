import Foundation
import Synchronization
import Testing
import AppTestSupport
import TestSupport
import Storage
// @testable for `FeedRefresher.refreshDueRound()`, whose `databaseFailed` is what makes the refresher service back off.
@testable import Newsroom

/// Issue 8: PostgreSQL lost mid-run. While it is gone `/readyz` says 503, requests that need the database are
/// answered 503 with `Retry-After` (never a hang, never a 500, never a cleared cookie), `/healthz` still answers, and
/// the refresher gives up its rounds (so its service backs off) without recording anything against the feeds. When it
/// returns everything resumes, with nothing lost and no restart: the member's session still works, a new sign-in
/// works, and the refresher fetches and stores again.
///
/// The app (live, on a loopback socket) reaches PostgreSQL through a `TCPRelay`, which the tests cut and restore:
/// the shared test cluster is never stopped.
@Suite struct DatabaseOutageTests {
    /// On the PostgreSQL server the run names; with `NEWSROOM_E2E=1` and none, the tests run and fail (their database
    /// cannot be made) rather than being skipped.
    static var canRun: Bool { StorageEngine.hasPostgresServer || StorageEngine.mandatory }

    @Test(.enabled(if: canRun, "needs NEWSROOM_TEST_POSTGRES_URL (scripts/with-postgres.sh)"), .timeLimit(.minutes(3)))
    func whileItIsGoneRequestsAre503AndWhenItReturnsEverythingResumes() async throws {
        try await OutageRig.run { rig in
            let (h, relay) = (rig.h, rig.relay)
            let member = try await h.signedIn(as: "octocat")
            let cookie = try #require(member.cookie(h.sessionCookie))
            #expect(try await member.get("/me").status == 200)
            let news = try await member.get("/news/demo")
            #expect(news.status == 200 && news.body.contains("Demo story 2"))
            #expect(try await h.browser().get("/readyz").status == 200)

            // --- PostgreSQL lost. ---
            relay.cut()
            let lost = ContinuousClock.now

            // /readyz turns 503 within seconds, and each answer comes within its probes' bounds (1 s + 2 s).
            let notReady = try await Outage.poll("/readyz to answer 503", within: .seconds(10)) {
                let (page, took) = try await Outage.timed { try await h.browser().get("/readyz") }
                #expect(took < .seconds(5), "GET /readyz took \(took) while the database is gone")
                return page.status == 503 ? page : nil
            }
            #expect(notReady.body == "database unreachable\n")
            Outage.note("/readyz 503 \(ContinuousClock.now - lost) after the cut")

            // /healthz needs no database: it answers at once.
            let (health, healthTook) = try await Outage.timed { try await h.browser().get("/healthz") }
            #expect(health.status == 200 && health.body == "ok\n")
            #expect(healthTook < .seconds(1), "GET /healthz took \(healthTook)")

            // Starting a sign-in writes a login attempt: 503 with Retry-After, within the request's bound.
            for _ in 0..<3 {
                let (login, took) = try await Outage.timed { try await h.browser().get("/login") }
                Outage.expectTryAgain(login, "GET /login")
                // 250 ms is the bound; the margin is for a parallel suite loading both cores.
                #expect(took < .seconds(3), "GET /login took \(took)")
            }

            // The member's session, once out of the 5 s cache, cannot be read: 503, and the cookie is kept (the
            // database being away is no reason to sign anyone out).
            h.clock.advance(by: 6)
            for path in ["/me", "/news/demo"] {
                let (page, took) = try await Outage.timed { try await member.get(path) }
                Outage.expectTryAgain(page, "GET \(path)")
                #expect(page.setCookie(named: h.sessionCookie) == nil, "GET \(path) touched the session cookie while the database is gone")
                #expect(took < .seconds(3), "GET \(path) took \(took)")
            }
            #expect(member.cookie(h.sessionCookie) == cookie)
            #expect(try await h.browser().get("/readyz").status == 503)

            // --- PostgreSQL back, nothing restarted. ---
            relay.restore()
            let back = ContinuousClock.now
            _ = try await Outage.poll("/readyz to answer 200 again", within: .seconds(15)) {
                let page = try await h.browser().get("/readyz")
                return page.status == 200 ? page : nil
            }
            Outage.note("/readyz 200 again \(ContinuousClock.now - back) after the restore")

            // Nothing lost: the member's session row survived, the same cookie works.
            let me = try await member.get("/me")
            #expect(me.status == 200, "the member's cookie after the database came back: \(me.status)")
            #expect(member.cookie(h.sessionCookie) == cookie)
            #expect(try await member.get("/news/demo").status == 200)
            // A new sign-in works, through the whole web flow.
            let newcomer = h.browser()
            let landed = try await h.signIn(newcomer, as: Demo.octocat)
            #expect(landed.status == 302, "sign-in after the database came back: \(landed.status) \(landed.location ?? "")")
            #expect(try await newcomer.get("/me").status == 200)
        }
    }

    @Test(.enabled(if: canRun, "needs NEWSROOM_TEST_POSTGRES_URL (scripts/with-postgres.sh)"), .timeLimit(.minutes(3)))
    func theRefresherGivesUpItsRoundWhileItIsGoneRecordsNothingAndResumes() async throws {
        try await OutageRig.run { rig in
            let (h, relay, feed) = (rig.h, rig.relay, rig.feed)
            let due = try #require(try await h.store.publication(id: "demo")).nextDueAt

            relay.cut()
            let lost = ContinuousClock.now
            _ = try await Outage.poll("/readyz to answer 503", within: .seconds(10)) {
                let page = try await h.browser().get("/readyz")
                return page.status == 503 ? page : nil
            }

            // A round with the feed due while the database is gone: it ends soon, saying the database failed (the
            // service then waits longer before the next round), having fetched nothing it could not store.
            h.clock.advance(by: due.timeIntervalSince(h.clock.now) + 1)
            let feedRequests = feed.server.requests.count
            let round = Outage.Background { await h.refresher.refreshDueRound() }
            // Each background call gives up after 15 s (`FeedPipeline.backgroundWait`); the margin is for a loaded machine.
            let endedWhileCut = await round.wait(upTo: .seconds(25))
            #expect(endedWhileCut, "refreshDue was still waiting for the database \(ContinuousClock.now - lost) into the outage")
            if case let ((results, databaseFailed), took)? = round.result {
                Outage.note("refreshDue while the database is gone took \(took)")
                #expect(databaseFailed, "the round did not report the database's failure, so the service would not back off")
                #expect(results.isEmpty, "the refresher recorded \(results) while the database is gone")
            }
            #expect(feed.server.requests.count == feedRequests, "nothing is fetched that could not be stored")

            // --- PostgreSQL back. ---
            relay.restore()
            _ = try await Outage.poll("/readyz to answer 200 again", within: .seconds(15)) {
                let page = try await h.browser().get("/readyz")
                return page.status == 200 ? page : nil
            }
            // Whatever that round did once it could, it has ended by now.
            let (_, roundTook) = try await Outage.poll("the refresher's round to end", within: .seconds(15)) { round.result }
            Outage.note("the round asked for during the outage took \(roundTook)")

            // The feed, which gained a story meanwhile, is fetched and stored; the outage was not counted against it.
            feed.stories = 3
            let dueAgain = try #require(try await h.store.publication(id: "demo")).nextDueAt
            h.clock.advance(by: max(0, dueAgain.timeIntervalSince(h.clock.now)) + 1)
            let resumed = try await Outage.poll("the refresher to fetch again", within: .seconds(15)) { () -> [RefreshResult]? in
                let results = await h.refresher.refreshDue()
                return results.isEmpty ? nil : results
            }
            #expect(resumed.map(\.publicationID) == ["demo"])
            #expect(resumed.first?.status == .updated(inserted: 1, updated: 0), "\(resumed)")
            let publication = try #require(try await h.store.publication(id: "demo"))
            #expect(publication.consecutiveFailures == 0 && publication.lastError == nil,
                    "the outage was counted against the feed: \(publication.consecutiveFailures) \(publication.lastError ?? "")")
            #expect(try await h.store.articleCount(of: "demo") == 3)
            let page = try await h.signedIn(as: "octocat").get("/news/demo")
            #expect(page.status == 200 && page.body.contains("Demo story 3"))
        }
    }

    /// PostgresNIO's pool stops queueing requests after a minute without a connection (its circuit breaker) and fails
    /// them with an error of its own: that is still the database being gone, a 503, not a 500.
    @Test(.enabled(if: canRun, "needs NEWSROOM_TEST_POSTGRES_URL (scripts/with-postgres.sh)"), .timeLimit(.minutes(3)))
    func anOutageOfOverAMinuteIsStill503AndEndsWhenItReturns() async throws {
        try await OutageRig.run { rig in
            let (h, relay) = (rig.h, rig.relay)
            let member = try await h.signedIn(as: "octocat")
            let cookie = try #require(member.cookie(h.sessionCookie))

            relay.cut()
            let lost = ContinuousClock.now
            // The breaker trips at the pool's first failed attempt after 60 s (its retries are ~14 s apart by then).
            var timeline: [(at: Duration, statuses: String)] = []
            while ContinuousClock.now - lost < .seconds(80) {
                h.clock.advance(by: 6)  // past the session cache
                let login = try await h.browser().get("/login")
                let me = try await member.get("/me")
                let ready = try await h.browser().get("/readyz")
                let statuses = "/login \(login.status) (Retry-After \(login.header("Retry-After") ?? "none")), "
                    + "/me \(me.status) (Retry-After \(me.header("Retry-After") ?? "none")), /readyz \(ready.status)"
                if timeline.last?.statuses != statuses { timeline.append((ContinuousClock.now - lost, statuses)) }
                #expect(me.setCookie(named: h.sessionCookie) == nil, "GET /me touched the session cookie while the database is gone")
                try await Task.sleep(for: .seconds(2))
            }
            let expected = "/login 503 (Retry-After 5), /me 503 (Retry-After 5), /readyz 503"
            let told = timeline.map { "from \($0.at): \($0.statuses)" }.joined(separator: "; ")
            Outage.note("80 s without the database: \(told)")
            #expect(timeline.allSatisfy { $0.statuses == expected }, "while the database was gone: \(told)")

            relay.restore()
            let back = ContinuousClock.now
            // The pool retries on its own schedule (about every 17 s after 80 s of failures).
            _ = try await Outage.poll("/readyz to answer 200 again", within: .seconds(30)) {
                let page = try await h.browser().get("/readyz")
                return page.status == 200 ? page : nil
            }
            Outage.note("/readyz 200 again \(ContinuousClock.now - back) after the restore")
            #expect(try await member.get("/me").status == 200)
            #expect(member.cookie(h.sessionCookie) == cookie)
            #expect(try await h.browser().get("/login").status == 302)
        }
    }
}

/// A live app on a fresh PostgreSQL database reached through a relay, the demo feed fetched once (two stories).
private struct OutageRig: Sendable {
    let h: AppHarness
    let relay: TCPRelay
    let feed: DemoFeed

    static func run(_ body: @Sendable (OutageRig) async throws -> Void) async throws {
        let feed = try DemoFeed()
        defer { feed.server.stop() }
        let database = try await StorageEngine.makePostgresDatabaseURL()
        var components = try #require(URLComponents(string: database))
        let relay = try TCPRelay(targetHost: try #require(components.host), targetPort: try #require(components.port))
        defer { relay.stop() }
        components.port = relay.port
        let relayed = try #require(components.string)
        let catalog = #"{"publications": [{"id": "demo", "name": "Demo", "url": "\#(feed.server.baseURL)/demo.xml"}]}"#

        try await AppHarness.run(mode: .live, catalog: { _ in catalog }, engine: .postgres, configure: {
            // What the app opens (the harness's own new database goes unused).
            $0.databasePath = relayed
            // The production bound: a request that waited for the pool instead of giving up would show.
            $0.databaseRequestWait = StoreLimits.requestWait
        }) { h in
            defer { Outage.report(h.logs, relay) }
            let fetched = await h.refresher.refreshDue()
            try #require(fetched.map(\.publicationID) == ["demo"], "the first round fetches the demo feed: \(fetched)")
            try #require(fetched.first?.status == .updated(inserted: 2, updated: 0), "\(fetched)")
            try #require(relay.forwardedConnections > 0, "the app reaches PostgreSQL through the relay")
            try await body(OutageRig(h: h, relay: relay, feed: feed))
        }
    }
}

/// A feed on loopback with `stories` stories (newest first), no validators: every fetch is a 200.
private final class DemoFeed: Sendable {
    private final class Count: Sendable {
        let value = Mutex(2)
    }

    private let count: Count
    let server: LoopbackHTTPServer

    var stories: Int {
        get { count.value.withLock { $0 } }
        set { count.value.withLock { $0 = newValue } }
    }

    init() throws {
        let count = Count()
        self.count = count
        server = try LoopbackHTTPServer { _ in
            let items = (1...max(count.value.withLock { $0 }, 1)).reversed().map { n in
                "<item><title>Demo story \(n)</title><link>https://news.example/demo/\(n)</link><guid>https://news.example/demo/\(n)</guid>"
                    + "<pubDate>Thu, 28 May 2026 1\(n):00:00 GMT</pubDate><description>Story \(n).</description></item>"
            }
            let text = #"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Demo</title>"#
                + #"<link>https://news.example/demo</link><description>Demo feed</description>"# + items.joined() + "</channel></rss>"
            return ScriptedResponse(status: 200, headers: [(name: "Content-Type", value: "application/rss+xml; charset=utf-8")],
                                    body: Array(text.utf8))
        }
    }
}

/// Polling, timing and reporting for the outage tests.
private enum Outage {
    struct TimedOut: Error, CustomStringConvertible { var description: String }

    /// Calls `attempt` every 100 ms until it returns a value, for up to `limit`; records an issue and throws after.
    static func poll<T: Sendable>(_ what: String, within limit: Duration, _ attempt: () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + limit
        while true {
            if let value = try await attempt() { return value }
            guard ContinuousClock.now < deadline else {
                Issue.record("waited \(limit) for \(what)")
                throw TimedOut(description: "waited \(limit) for \(what)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    static func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Duration) {
        let started = ContinuousClock.now
        let value = try await body()
        return (value, ContinuousClock.now - started)
    }

    /// The database is away for now: 503, come back in 5 s.
    static func expectTryAgain(_ page: Page, _ request: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(page.status == 503, "\(request) while the database is gone: \(page.status)", sourceLocation: sourceLocation)
        #expect(page.header("Retry-After") == "5", "\(request): Retry-After \(page.header("Retry-After") ?? "none")",
                sourceLocation: sourceLocation)
    }

    /// Runs `body` in a task of its own, keeping its result and how long it took, so the test can go on meanwhile.
    final class Background<T: Sendable>: Sendable {
        private final class Outcome: Sendable {
            let value = Mutex<(T, Duration)?>(nil)
        }

        private let outcome = Outcome()

        init(_ body: @escaping @Sendable () async -> T) {
            Task { [outcome] in
                let started = ContinuousClock.now
                let value = await body()
                outcome.value.withLock { $0 = (value, ContinuousClock.now - started) }
            }
        }

        var result: (T, Duration)? { outcome.value.withLock { $0 } }

        /// Whether the body ended within `limit`.
        func wait(upTo limit: Duration) async -> Bool {
            let deadline = ContinuousClock.now + limit
            while result == nil && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
            return result != nil
        }
    }

    static func note(_ text: String) {
        print("DatabaseOutageTests: \(text)")
    }

    /// What happened, for the record: the relay's counts and the app's warnings and errors, each distinct line once.
    static func report(_ logs: LogCapture, _ relay: TCPRelay) {
        note("relay forwarded \(relay.forwardedConnections) connections, reset \(relay.refusedConnections), \(relay.openConnections) open")
        var seen: [String: Int] = [:], order: [String] = []
        for line in logs.lines where line.level >= .warning {
            let text = line.description
            if seen[text] == nil { order.append(text) }
            seen[text, default: 0] += 1
        }
        for text in order { note("log ×\(seen[text]!) \(text)") }
    }
}

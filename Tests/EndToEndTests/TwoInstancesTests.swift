import Foundation
import Synchronization
import Testing
import Curl
import GitHubSandbox
import PostgresStorage
import StorageTestSupport
import TestSupport

/// Two `newsroom serve` processes on one PostgreSQL database, as README's "SQLite or PostgreSQL" promises them:
/// one GitHub stand-in for both (in this process), feed servers that count every request, and a browser whose
/// cookies go to both instances (both are on 127.0.0.1; browsers do not separate cookies by port).
///
/// - Each feed is fetched once per interval by one of the two.
/// - Sign in on A, read on B; sign out on B, and A refuses the cookie on its next request.
/// - An instance killed with SIGKILL while its fetches are in flight: once its leases run out the other fetches
///   those feeds, and no article is stored twice.
///
/// Runs when the newsroom binary is built and `NEWSROOM_TEST_POSTGRES_URL` names a server (scripts/with-postgres.sh);
/// with `NEWSROOM_E2E=1` a missing one is a failure, not a skip.
@Suite(.serialized)
struct TwoInstancesTests {
    static var canRun: Bool { E2E.newsroomBinary != nil && StorageEngine.hasPostgresServer }
    static let secretKey = "two-instances-share-one-secret-key-0123456789"
    static let sessionCookie = "newsroom-session"
    static let callbackPath = "/login/github/authorized"
    /// How the layout names the signed-in member.
    static let octocatInNavbar = #"class="account__login">octocat</span>"#
    /// The shortest fetch lease the product accepts (`NEWSROOM_FETCH_LEASE`, 35–3600 s; default 75).
    static let fetchLease = 35

    // MARK: fetch once, sign in on A, read on B, sign out on B

    @Test(.enabled(if: canRun || E2E.required, "needs the newsroom binary and a PostgreSQL server (NEWSROOM_TEST_POSTGRES_URL)"),
          .timeLimit(.minutes(5)))
    func twoInstancesFetchEachFeedOnceAndShareSignInAndSignOut() async throws {
        try Self.requireEverything()
        let database = try await Self.freshDatabase()
        let work = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        // 20 publications on 5 servers; each answer takes 1 s, so the first round lasts about 3 s (8 transfers at
        // once) and the other instance's rounds (every 2 s) run while the feeds are claimed and being fetched.
        let farm = try FeedFarm(groups: [(count: 20, held: false, servers: 5)], itemsPerFeed: 5, delay: .seconds(1))
        defer { farm.stop() }
        let feedsPath = work.appendingPathComponent("feeds.json")
        try farm.catalog(refreshMinutes: 60).write(to: feedsPath, atomically: true, encoding: .utf8)

        // One stand-in for both: its app's callback is GitHub's legacy loopback rule, any port of 127.0.0.1.
        let sandbox = GitHubSandbox.demo(callbackURL: "http://127.0.0.1" + Self.callbackPath, redirectMode: .legacyPrefix)
        try await sandbox.withRunningServer { sandbox in
            let settings = Self.settings(database: database, feedsPath: feedsPath.path, sandbox: sandbox)
            let a = try ServeInstance("A", in: work, settings)
            defer { a.stop() }
            let b = try ServeInstance("B", in: work, settings)
            defer { b.stop() }
            let checks = TwoInstanceChecks()
            try await Self.reportingLogs(of: [a, b], checks: checks) {
                let http = CurlClient()
                let originA = try await a.waitUntilReady(http: http)
                let originB = try await b.waitUntilReady(http: http)

                // The first round: every feed requested and stored.
                let fetched = try await pollUntil(timeout: .seconds(60)) {
                    try await database.feeds().values.filter { $0.fetched && $0.articles == farm.itemsPerFeed }.count == farm.feeds.count
                }
                try #require(fetched, "the first round did not store every feed within 60 s: \(farm.arrivals.count) requests")
                let roundDone = Date()
                let arrivedAt = farm.arrivals.map(\.arrivedAt)
                if let first = arrivedAt.min(), let last = arrivedAt.max() {
                    print("TwoInstancesTests: first round: \(arrivedAt.count) requests over \(String(format: "%.1f", last.timeIntervalSince(first))) s")
                }

                // Sign in on A.
                let browser = CookieBrowser(http: http, cookieOrigins: [originA, originB])
                let session = try await Self.signIn(browser, at: originA, next: "/news/pub-01", sandbox: sandbox)

                // Read on A, then on B with the same cookie.
                let onA = try await browser.get(originA + "/news/pub-01")
                checks.expect(onA.status == 200 && onA.body.contains(Self.octocatInNavbar) && onA.body.contains(farm.title(number: 1, story: 1)),
                              "A does not show pub-01 to octocat: \(onA.status) \(onA.location ?? "")")
                let onB = try await browser.get(originB + "/news/pub-02")
                checks.expect(onB.status == 200 && onB.body.contains(Self.octocatInNavbar) && onB.body.contains(farm.title(number: 2, story: 3)),
                              "B does not take A's session: \(onB.status) \(onB.location ?? "")")
                let me = try await browser.get(originB + "/me")
                checks.expect(me.status == 200 && me.body.contains("@octocat on GitHub"), "B's /me does not show octocat: \(me.status) \(me.location ?? "")")
                let csrf = try #require(me.body.firstMatch(of: /name="csrf" value="([^"]+)"/)?.1, "no sign-out form on B's /me")

                // A reads once more, so it holds the session in its cache (5 s): from here only B's notice makes it let go.
                let cached = try await browser.get(originA + "/me")
                checks.expect(cached.status == 200 && cached.body.contains("@octocat on GitHub"), "A's /me: \(cached.status)")

                // Sign out on B.
                let out = try await browser.post(originB + "/logout", form: [("csrf", String(csrf))])
                checks.expect(out.status == 302 && out.location == "/", "B's sign-out: \(out.status) \(out.location ?? "") \(out.body.prefix(300))")
                checks.expect(browser.cookie(Self.sessionCookie) == nil, "B did not expire the session cookie: \(out.setCookies)")

                // The cookie as another tab (or a copy of it) still sends it: A refuses it on its next request. The
                // notice travels through PostgreSQL, so allow it a second; the first try normally sees it already.
                let clock = ContinuousClock()
                let signedOutAt = clock.now
                let tries = Mutex(0)
                let refusedByA = try await pollUntil(timeout: .seconds(1), interval: .milliseconds(50)) {
                    tries.withLock { $0 += 1 }
                    browser.setCookie(Self.sessionCookie, session)
                    let page = try await browser.get(originA + "/news/pub-01")
                    return page.status == 302 && page.location?.hasPrefix("/login") == true
                }
                let lag = clock.now - signedOutAt
                checks.expect(refusedByA, "A still serves the signed-out session 1 s after the sign-out on B (\(tries.withLock { $0 }) tries)")
                print("TwoInstancesTests: A refused the session signed out on B after \(tries.withLock { $0 }) request(s), \(lag)")
                browser.setCookie(Self.sessionCookie, session)
                let onBAgain = try await browser.get(originB + "/news/pub-01")
                checks.expect(onBAgain.status == 302 && onBAgain.location?.hasPrefix("/login") == true, "B serves its own signed-out session: \(onBAgain.status)")
                browser.setCookie(Self.sessionCookie, session)
                let meOnA = try await browser.get(originA + "/me")
                checks.expect(meOnA.status == 302 && !meOnA.body.contains("octocat"), "A's /me after sign-out: \(meOnA.status)")

                // All along both instances ran a round every 2 s: give them a few more, then each feed was asked for once.
                let quiet = roundDone.addingTimeInterval(6).timeIntervalSinceNow
                if quiet > 0 { try await Task.sleep(for: .seconds(quiet)) }
                let arrivals = farm.arrivals
                for feed in farm.feeds {
                    let count = arrivals.count { $0.path == feed.path }
                    checks.expect(count == 1, "\(feed.id) was requested \(count) times")
                }
                checks.expect(arrivals.count == farm.feeds.count, "\(arrivals.count) feed requests for \(farm.feeds.count) feeds")
                let duplicates = try await database.duplicateArticles()
                checks.expect(duplicates.isEmpty, "articles stored twice: \(duplicates)")
            }
        }
        await database.store.close()
    }

    // MARK: SIGKILL while fetches are in flight

    @Test(.enabled(if: canRun || E2E.required, "needs the newsroom binary and a PostgreSQL server (NEWSROOM_TEST_POSTGRES_URL)"),
          .timeLimit(.minutes(5)))
    func feedsInFlightAtAKilledInstanceAreFetchedByTheOtherOnceTheirLeasesRunOut() async throws {
        try Self.requireEverything()
        let database = try await Self.freshDatabase()
        let work = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        // pub-01…10 answer at once (2 servers); pub-11…20 are held until released (3 servers: at most 6 in flight at
        // once, so the held ones never take all 8 of the HTTP client's transfer slots from the others).
        let farm = try FeedFarm(groups: [(count: 10, held: false, servers: 2), (count: 10, held: true, servers: 3)],
                                itemsPerFeed: 5, delay: .zero)
        defer { farm.stop() }
        let feedsPath = work.appendingPathComponent("feeds.json")
        try farm.catalog(refreshMinutes: 60).write(to: feedsPath, atomically: true, encoding: .utf8)
        let quick = farm.feeds.filter { !$0.held }, held = farm.feeds.filter(\.held)

        let sandbox = GitHubSandbox.demo(callbackURL: "http://127.0.0.1" + Self.callbackPath, redirectMode: .legacyPrefix)
        try await sandbox.withRunningServer { sandbox in
            var settings = Self.settings(database: database, feedsPath: feedsPath.path, sandbox: sandbox)
            settings.extraEnvironment["NEWSROOM_FETCH_LEASE"] = String(Self.fetchLease)
            let a = try ServeInstance("A", in: work, settings)
            defer { a.stop() }
            let checks = TwoInstanceChecks()
            var instances = [a]
            do {
                let http = CurlClient()
                _ = try await a.waitUntilReady(http: http)

                // A alone: it claims every feed, stores the quick ones, and the held ones hang in flight.
                let settled = try await pollUntil(timeout: .seconds(30)) {
                    let rows = try await database.feeds()
                    return quick.allSatisfy { rows[$0.id]?.fetched == true } && farm.inFlight.count >= 6
                }
                let inFlight = Set(farm.inFlight.map(\.path))
                try #require(settled || !inFlight.isEmpty, "A never had a fetch in flight: \(farm.arrivals.count) requests")
                let beforeKill = try await database.feeds()
                let leases = held.compactMap { feed in beforeKill[feed.id]?.leaseUntil.map { (feed.id, $0) } }
                try #require(leases.count == held.count, "A has not claimed every held feed: \(leases.map(\.0))")
                let leaseEnd = try #require(leases.map(\.1).max())

                let killedAt = Date()
                a.kill()
                farm.release()
                let firstRequestOfA = try #require(farm.arrivals.map(\.arrivedAt).min())
                print("TwoInstancesTests: killed A with \(inFlight.count) fetches in flight; its leases run "
                      + "\(String(format: "%.1f", leaseEnd.timeIntervalSince(firstRequestOfA))) s from its first request")

                let b = try ServeInstance("B", in: work, settings)
                defer { b.stop() }
                instances.append(b)
                _ = try await b.waitUntilReady(http: http)

                // B takes the held feeds once A's leases ran out, at its next round (every 2 s).
                let waitFor = leaseEnd.timeIntervalSinceNow + 30
                let allStored = try await pollUntil(timeout: .seconds(max(waitFor, 30)), interval: .milliseconds(250)) {
                    try await database.feeds().values.filter { $0.fetched && $0.articles == farm.itemsPerFeed }.count == farm.feeds.count
                }
                if !allStored {
                    let missing = try await database.feeds().values.filter { !$0.fetched }.map(\.id).sorted()
                    try #require(allStored, "B did not store every feed within 30 s of the leases' end; not stored: \(missing)")
                }
                print("TwoInstancesTests: B stored the last feeds \(String(format: "%.1f", Date().timeIntervalSince(killedAt))) s after the kill")

                for feed in quick {
                    let count = farm.requests(of: feed).count
                    checks.expect(count == 1, "\(feed.id), stored by A before the kill, was requested \(count) times")
                }
                let leaseByID = Dictionary(uniqueKeysWithValues: leases)
                for feed in held {
                    let byB = farm.requests(of: feed, since: killedAt)
                    checks.expect(byB.count == 1, "\(feed.id) (claimed by A) was requested \(byB.count) times after the kill")
                    if let first = byB.first, let lease = leaseByID[feed.id] {
                        checks.expect(first.arrivedAt >= lease.addingTimeInterval(-0.5),
                                      "B fetched \(feed.id) \(String(format: "%.1f", lease.timeIntervalSince(first.arrivedAt))) s before A's lease ran out")
                    }
                }
                // Every feed's five stories, each once.
                let rows = try await database.feeds()
                for (number, feed) in farm.feeds.enumerated() {
                    let titles = try await database.articleTitles(of: feed.id)
                    let expected = (1...farm.itemsPerFeed).map { farm.title(number: number + 1, story: $0) }.sorted()
                    checks.expect(titles == expected, "\(feed.id) holds \(titles)")
                    checks.expect(rows[feed.id]?.leaseUntil == nil, "\(feed.id) still carries a lease")
                }
                let duplicates = try await database.duplicateArticles()
                checks.expect(duplicates.isEmpty, "articles stored twice: \(duplicates)")
                if checks.failed { Self.recordLogs(of: instances) }
            } catch {
                Self.recordLogs(of: instances)
                throw error
            }
        }
        await database.store.close()
    }

    // MARK: helpers

    static func requireEverything() throws {
        try #require(E2E.newsroomBinary != nil, "NEWSROOM_E2E=1 but the newsroom binary is missing (swift build --build-tests builds it)")
        try #require(StorageEngine.hasPostgresServer,
                     "NEWSROOM_E2E=1 but no PostgreSQL server: run through scripts/with-postgres.sh (it sets \(StorageEngine.postgresURLVariable))")
    }

    /// A new, migrated database on the test server, and its URL for DATABASE_URL.
    static func freshDatabase() async throws -> SharedDatabase {
        let (store, url) = try await StorageEngine.makePostgresStore()
        let server = try #require(StorageEngine.postgresServer)
        var components = try #require(URLComponents(string: server))
        components.path = "/" + url.database
        return SharedDatabase(store: store, url: try #require(components.string))
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("newsroom-two-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func settings(database: SharedDatabase, feedsPath: String, sandbox: GitHubSandbox) -> ServeInstance.Settings {
        ServeInstance.Settings(databaseURL: database.url, feedsPath: feedsPath,
                               githubAuthURL: sandbox.authURL!, githubAPIURL: sandbox.apiURL!,
                               clientID: GitHubSandbox.demoClientID, clientSecret: sandbox.demoClientSecret, secretKey: secretKey)
    }

    /// GET /login on `origin` → the stand-in's consent page → approve as octocat → the callback on `origin`;
    /// returns the session cookie's value.
    static func signIn(_ browser: CookieBrowser, at origin: String, next: String, sandbox: GitHubSandbox) async throws -> String {
        let login = try await browser.get(origin + "/login?" + CookieBrowser.formEncode([("next", next)]))
        let authorize = try #require(login.location, "GET /login did not redirect: \(login.status)")
        try #require(login.status == 302 && authorize.hasPrefix(sandbox.authURL! + "authorize"), "GET /login sent the browser to \(authorize)")
        let picker = try await browser.get(authorize)
        try #require(picker.status == 200, "the stand-in refused the authorize request: \(picker.status) \(picker.body.prefix(500))")
        let requestID = try #require(picker.body.firstMatch(of: /name="authorization_request" value="([0-9a-f]+)"/)?.1)
        let approved = try await browser.post(sandbox.origin! + "/login/oauth/authorize",
                                              form: [("authorization_request", String(requestID)), ("user_id", "1"), ("decision", "approve")])
        let callback = try #require(approved.location, "the stand-in did not redirect back: \(approved.status) \(approved.body.prefix(300))")
        try #require(callback.hasPrefix(origin + callbackPath + "?"), "the stand-in sent the browser to \(callback)")
        let signedIn = try await browser.get(callback)
        try #require(signedIn.status == 302 && signedIn.location == next,
                     "the callback did not sign in: \(signedIn.status) \(signedIn.location ?? "") \(signedIn.body.prefix(300))")
        return try #require(browser.cookie(sessionCookie), "no session cookie: \(signedIn.setCookies)")
    }

    /// Runs `body`; when it throws or a check failed, the instances' logs go into the test's issues.
    static func reportingLogs(of instances: [ServeInstance], checks: TwoInstanceChecks, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            recordLogs(of: instances)
            throw error
        }
        if checks.failed { recordLogs(of: instances) }
    }

    static func recordLogs(of instances: [ServeInstance]) {
        for instance in instances { Issue.record(Comment(rawValue: instance.logTail())) }
    }
}

/// Expectations that remember whether one failed (so the logs can be printed once at the end).
final class TwoInstanceChecks: Sendable {
    private let anyFailed = Mutex(false)
    var failed: Bool { anyFailed.withLock { $0 } }

    func expect(_ condition: Bool, _ comment: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard !condition else { return }
        anyFailed.withLock { $0 = true }
        Issue.record(Comment(rawValue: comment()), sourceLocation: sourceLocation)
    }
}

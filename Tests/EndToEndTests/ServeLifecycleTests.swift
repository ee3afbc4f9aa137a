import Foundation
import Testing
import Curl
import StorageTestSupport
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `newsroom serve` on PostgreSQL as one ServiceLifecycle group: PostgresNIO's client first, then the app, which
/// waits for the database, migrates and loads the catalog while the client runs, and only then listens. At
/// SIGTERM the app (web server, refresher) stops first and the client last.
@Suite struct ServeLifecycleTests {
    @Test(.enabled(if: TwoInstancesTests.canRun || E2E.required, "needs the newsroom binary and a PostgreSQL server (NEWSROOM_TEST_POSTGRES_URL)"),
          .timeLimit(.minutes(2)))
    func onSIGTERMTheAppStopsFirstAndTheDatabaseClientLastAndServeExitsZero() async throws {
        try TwoInstancesTests.requireEverything()
        let database = try await TwoInstancesTests.freshDatabase()
        let work = try TwoInstancesTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        // Answers take a second, so fetches are in flight (and stored through the pool) when SIGTERM comes.
        let farm = try FeedFarm(groups: [(count: 4, held: false, servers: 2)], itemsPerFeed: 3, delay: .seconds(1))
        defer { farm.stop() }
        let feedsPath = work.appendingPathComponent("feeds.json")
        try farm.catalog(refreshMinutes: 60).write(to: feedsPath, atomically: true, encoding: .utf8)
        // Debug: ServiceLifecycle says which service finished when.
        let instance = try ServeInstance("serve", in: work, Self.settings(databaseURL: database.url, feedsPath: feedsPath.path,
                                                                          extra: ["LOG_LEVEL": "debug"]))
        defer { instance.stop() }
        _ = try await instance.waitUntilReady(http: CurlClient())
        for _ in 0..<100 where farm.inFlight.isEmpty { try await Task.sleep(for: .milliseconds(50)) }

        instance.process.signal(SIGTERM)
        let status = await Self.exitCode(of: instance.process, within: .seconds(30))
        let log = (try? String(contentsOf: instance.log, encoding: .utf8)) ?? ""
        #expect(status == 0, "\(instance.logTail())")
        // ServiceLifecycle's debug lines name each service as it finishes: the HTTP server, then the app's service that
        // runs it, then (last of all) the client. (Other services' descriptions mention the client too.)
        let finished = log.split(separator: "\n").filter { $0.contains("Service finished") }
        func stopped(_ service: String) -> Int? { finished.firstIndex { $0.contains("sl-service=" + service) } }
        let server = stopped("PreludeService<Server<"), app = stopped("StartThenServe("), client = stopped("PostgresNIO.PostgresClient [")
        #expect(server != nil && app != nil && client == finished.count - 1 && server! < app! && app! < client!,
                "the services stopped in this order: \(finished)")
        // Nothing failed for want of a connection on the way down (text log lines read "<time> <level> newsroom: ...").
        #expect(!log.contains(" error newsroom") && !log.contains(" critical newsroom"), "\(instance.logTail())")
        await database.store.close()
    }

    /// Needs no server: nothing listens on the port. Said as before the client became a service: after 30 s, one line.
    @Test(.enabled(if: E2E.newsroomBinary != nil, "needs the newsroom binary that swift test builds"), .timeLimit(.minutes(2)))
    func anUnreachableDatabaseIsWaitedFor30SecondsThenNamedWithoutThePassword() async throws {
        let work = try TwoInstancesTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let port = try Self.closedPort()
        let instance = try ServeInstance("unreachable", in: work, Self.settings(
            databaseURL: "postgres://newsroom:hunter2secret@127.0.0.1:\(port)/newsroom?sslmode=disable", feedsPath: try Self.feeds(in: work)))
        defer { instance.stop() }
        let started = ContinuousClock.now
        let status = await Self.exitCode(of: instance.process, within: .seconds(90))
        let waited = ContinuousClock.now - started
        let log = (try? String(contentsOf: instance.log, encoding: .utf8)) ?? ""
        #expect(status == 1, "\(log)")
        #expect(log.contains("newsroom: cannot reach the database at postgres://newsroom@127.0.0.1:\(port)/newsroom ("), "\(log)")
        #expect(!log.contains("hunter2"))
        #expect(!log.contains("newsroom is serving"))
        #expect(waited >= .seconds(29), "gave up after \(waited)")
    }

    /// SIGTERM while waiting for the database ends the wait: nothing served, exit 0, without the 30 s.
    @Test(.enabled(if: E2E.newsroomBinary != nil, "needs the newsroom binary that swift test builds"), .timeLimit(.minutes(1)))
    func sigtermWhileWaitingForTheDatabaseStopsAtOnce() async throws {
        let work = try TwoInstancesTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let port = try Self.closedPort()
        let instance = try ServeInstance("waiting", in: work, Self.settings(
            databaseURL: "postgres://newsroom:hunter2secret@127.0.0.1:\(port)/newsroom?sslmode=disable", feedsPath: try Self.feeds(in: work),
            extra: ["LOG_LEVEL": "debug"]))
        defer { instance.stop() }
        // Once the group runs its services it has trapped SIGTERM (before that, SIGTERM would simply kill it).
        _ = try await E2E.waitForLine(in: instance.log, matching: /(StartThenServe)[^\n]*Starting service/)
        try await Task.sleep(for: .milliseconds(500))
        let signalled = ContinuousClock.now
        instance.process.signal(SIGTERM)
        let status = await Self.exitCode(of: instance.process, within: .seconds(20))
        let log = (try? String(contentsOf: instance.log, encoding: .utf8)) ?? ""
        #expect(status == 0, "\(log)")
        #expect(ContinuousClock.now - signalled < .seconds(10), "took \(ContinuousClock.now - signalled) to stop")
        #expect(!log.contains("newsroom is serving") && !log.contains("cannot reach"), "\(log)")
    }

    // MARK: helpers

    /// An instance whose GitHub is never called: nobody signs in.
    static func settings(databaseURL: String, feedsPath: String, extra: [String: String] = [:]) -> ServeInstance.Settings {
        var settings = ServeInstance.Settings(databaseURL: databaseURL, feedsPath: feedsPath,
                                              githubAuthURL: "http://127.0.0.1:9/login/oauth/", githubAPIURL: "http://127.0.0.1:9/",
                                              clientID: "lifecycle-client", clientSecret: "lifecycle-secret", secretKey: TwoInstancesTests.secretKey)
        settings.extraEnvironment = extra
        return settings
    }

    static func feeds(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("feeds.json")
        try #"{"refreshMinutes": 60, "publications": [{"id": "one", "name": "One", "url": "http://127.0.0.1:9/feed.xml"}]}"#
            .write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    /// A port on 127.0.0.1 where nothing listens: a server's, once it stopped.
    static func closedPort() throws -> Int {
        let server = try LoopbackHTTPServer { _ in .text("unused") }
        defer { server.stop() }
        return server.port
    }

    /// The exit code once the process ended, polled without blocking a thread of the pool; nil if it still runs.
    static func exitCode(of process: ChildProcess, within limit: Duration) async -> Int32? {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        return process.isRunning ? nil : process.wait()
    }
}

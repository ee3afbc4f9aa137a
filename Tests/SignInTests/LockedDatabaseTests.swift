import Foundation
import Testing
import AppTestSupport
import Newsroom
import Storage
import Curl

/// A database another process keeps locked must cost a request a bounded wait and a clear 503, never a hang, and
/// must not touch what needs no database at all.
@Suite struct LockedDatabaseTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")), .timeLimit(.minutes(2)))
    func whileAnotherProcessHoldsTheWriteLockSignInIs503AndHealthAnswersAtOnce() async throws {
        // The production bound, not the harness's longer one for a loaded test machine; the busy timeout as
        // shipped (5 s), so a request that waited for SQLite instead of giving up would take 5 s or fail late.
        try await AppHarness.run(configure: {
            $0.databaseRequestWait = StoreLimits.requestWait
            $0.databaseBusyTimeout = SQLiteStore.busyTimeout
        }) { h in
            let browser = h.browser()
            #expect(try await browser.get("/login").status == 302, "sign-in starts while nothing holds the lock")
            try await h.whileAnotherProcessHoldsTheWriteLock {
                try await withThrowingTaskGroup(of: (Page, Duration).self) { group in
                    // Four at once, as in the measurement (15 to 40 s each before).
                    for _ in 0..<4 {
                        group.addTask {
                            let asked = ContinuousClock.now
                            let page = try await h.browser().get("/login")
                            return (page, ContinuousClock.now - asked)
                        }
                    }
                    for try await (page, took) in group {
                        #expect(page.status == 503)
                        #expect(page.header("Retry-After") == "5")
                        #expect(page.body.contains("Try again in a moment"))
                        // 250 ms is the bound; the margin is for a parallel suite loading both cores, and stays
                        // under the 5 s a wait for SQLite's busy timeout would take.
                        #expect(took < .seconds(3), "GET /login took \(took)")
                    }
                }
                let asked = ContinuousClock.now
                let health = try await browser.get("/healthz")
                #expect(health.status == 200 && health.body == "ok\n")
                #expect(ContinuousClock.now - asked < .seconds(1), "/healthz reads no database")
            }
            #expect(try await browser.get("/login").status == 302, "sign-in works again once the lock is gone")
        }
    }
}

/// SQLite serves one server per file; the commands that run beside a server still work.
@Suite struct OneServerPerSQLiteFileTests {
    @Test func aSecondServerOnTheSameFileIsRefusedAndSaysToUsePostgreSQL() async throws {
        try await AppHarness.run { h in
            let client = CurlClient()
            defer { client.shutdown() }
            let dependencies = try AppDependencies.live(client: client, environment: [:])
            let error = await #expect(throws: StorageError.self) {
                _ = try await FeedPipeline.make(databasePath: h.config.databasePath, feedsPath: h.config.feedsPath,
                                                dependencies: dependencies, logger: .init(label: "second"), serving: true)
            }
            #expect(error == .servedByAnotherProcess(path: h.config.databasePath))
            #expect(error?.description.contains("PostgreSQL") == true)
            // `newsroom fetch` (and `headlines`) open the same file beside the server and work.
            let beside = try await FeedPipeline.make(databasePath: h.config.databasePath, feedsPath: h.config.feedsPath,
                                                     dependencies: dependencies, logger: .init(label: "fetch"))
            #expect(try await beside.store.publications().map(\.id) == h.store.publications().map(\.id))
        }
    }
}

import Foundation
import Logging
import Synchronization
import Testing
import TestSupport
import Storage
import StorageTestSupport
@testable import Newsroom

/// One housekeeping round, on the injected clock: the purge, retention and `PRAGMA optimize` together.
@Suite struct HousekeepingRoundTests {
    let clock = TestClock()

    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    /// A store with octocat, three sessions (live, idle past one hour, past its absolute expiry), two login attempts
    /// (expired, live), and `old` (removed from the catalog) holding five articles, two of them its latest fetch.
    func populatedStore() async throws -> SQLiteStore {
        let store = try SQLiteStore.temporary()
        let now = clock.now
        try await store.upsertUser(UserRecord(githubID: 1, login: "octocat", createdAt: now, updatedAt: now))
        for (id, lastSeen, absolute) in [("live", -60.0, 3600.0), ("idle", -3600.0, 7200.0), ("absolute", -60.0, 0.0)] {
            try await store.createSession(SessionRecord(idHash: id, githubID: 1, csrfToken: "c", encryptedToken: [1], admittedBy: "org",
                                                  membershipCheckedAt: now, lastGoodCheckAt: now, createdAt: now.addingTimeInterval(-7200),
                                                  lastSeenAt: now.addingTimeInterval(lastSeen), absoluteExpiresAt: now.addingTimeInterval(absolute)))
        }
        for (state, expires) in [("expired", -1.0), ("pending", 600.0)] {
            try await store.createLoginAttempt(LoginAttemptRecord(stateHash: state, browserBindingHash: "b", pkceVerifier: nil, nextPath: "/",
                                                            createdAt: now.addingTimeInterval(-600), expiresAt: now.addingTimeInterval(expires)))
        }
        try await store.syncCatalog([PublicationConfig(id: "old", name: "Old", url: "https://old.example/rss", refreshMinutes: 15)], now: now)
        func fetch(_ guids: [Int], at minutes: Double) async throws {
            let at = now.addingTimeInterval(minutes * 60)
            try await store.recordFetchSuccess(publicationID: "old", articles: guids.map {
                ArticleInput(guid: "g\($0)", title: "Story \($0)", published: now.addingTimeInterval(Double($0) * 60))
            }, etag: nil, lastModified: nil, httpStatus: 200, fetchedAt: at, nextDueAt: at.addingTimeInterval(900))
        }
        try await fetch([1, 2, 3], at: -30)
        try await fetch([4, 5], at: -20)
        try await store.syncCatalog([], now: now)
        return store
    }

    @Test func aRoundPurgesTrimsAndOptimizes() async throws {
        let store = try await populatedStore()
        let lines = Lines()
        let logger = Logger(label: "housekeeping") { _ in
            var handler = JSONLogHandler(label: "housekeeping", level: .debug, sink: JSONLogSink { line in lines.lines.withLock { $0.append(line) } })
            handler.logLevel = .debug
            return handler
        }
        let housekeeping = Housekeeping(store: store, idleTimeout: 3600, logger: logger, articleRetention: 3)
        #expect(try await store.articleCount(of: "old") == 5)

        let report = await housekeeping.round(now: clock.now)
        #expect(report == Housekeeping.Report(purged: .init(sessions: 2, loginAttempts: 1), articlesTrimmed: 2, optimized: true))
        #expect(try await store.session(idHash: "live") != nil)
        #expect(try await store.session(idHash: "idle") == nil)
        #expect(try await store.session(idHash: "absolute") == nil)
        #expect(try await store.takeLoginAttempt(stateHash: "expired") == nil)
        #expect(try await store.takeLoginAttempt(stateHash: "pending") != nil)
        // The newest three stay, and the latest fetch (the current headline) is never trimmed.
        #expect(try await store.recentArticles(of: "old", limit: 10).compactMap(\.title).sorted() == ["Story 3", "Story 4", "Story 5"])
        #expect(try await store.currentHeadline(of: "old")?.title == "Story 4")
        #expect(lines.all.contains { $0.contains("housekeeping purged 2 ended session(s) and 1 expired login attempt(s)") })
        #expect(lines.all.contains { $0.contains("housekeeping trimmed 2 article(s)") })

        // Nothing left to do: the same round changes nothing.
        #expect(await housekeeping.round(now: clock.now) == Housekeeping.Report(purged: .init(sessions: 0, loginAttempts: 0), articlesTrimmed: 0, optimized: true))
        // An hour on, the live session has idled out.
        clock.advance(by: 3600)
        #expect(await housekeeping.round(now: clock.now)?.purged == .init(sessions: 1, loginAttempts: 0))
    }

    /// The seam for several instances: a round this instance may not run does nothing at all.
    @Test func aRoundThatIsNotThisInstancesTurnTouchesNothing() async throws {
        let store = try await populatedStore()
        let housekeeping = Housekeeping(store: store, idleTimeout: 3600, logger: Logger(label: "quiet") { _ in SwiftLogNoOpLogHandler() },
                                        articleRetention: 1, mayRun: { _ in false })
        #expect(await housekeeping.round(now: clock.now) == nil)
        #expect(try await store.session(idHash: "idle") != nil)
        #expect(try await store.articleCount(of: "old") == 5)
    }

    /// A step that fails is logged and the others still run.
    @Test func aFailingStepDoesNotStopTheOthers() async throws {
        let store = try await populatedStore()
        let run = try ChildProcess.run("/usr/bin/sqlite3", [store.path, "ALTER TABLE login_attempts RENAME TO away;"], mergingErrors: true)
        try #require(run.status == 0)
        let housekeeping = Housekeeping(store: store, idleTimeout: 3600, logger: Logger(label: "quiet") { _ in SwiftLogNoOpLogHandler() },
                                        articleRetention: 3)
        let report = await housekeeping.round(now: clock.now)
        #expect(report?.purged == nil)
        #expect(report?.articlesTrimmed == 2)
        #expect(report?.optimized == true)
    }
}

/// Instances on one database take turns at housekeeping: one round at a time, whoever holds the lease.
@Suite struct HousekeepingTurnsTests {
    @Test(arguments: StorageEngine.available)
    func oneInstanceAtATimeRunsTheRound(engine: StorageEngine) async throws {
        let store = try await engine.makeStore()
        let quiet = Logger(label: "quiet") { _ in SwiftLogNoOpLogHandler() }
        let instanceA = Housekeeping.takingTurns(on: store, logger: quiet, lease: 540)
        let instanceB = Housekeeping.takingTurns(on: store, logger: quiet, lease: 540)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(await instanceA(now))
        // SQLite has one server per file: nobody to take turns with.
        #expect(await instanceB(now) == (engine == .sqlite))
        #expect(await instanceA(now.addingTimeInterval(600)), "the holder renews at its next round")
        #expect(await instanceB(now.addingTimeInterval(600)) == (engine == .sqlite))
        #expect(await instanceB(now.addingTimeInterval(1_200)), "once the holder's lease ran out, another instance takes over")
        #expect(await instanceA(now.addingTimeInterval(1_200)) == (engine == .sqlite))
    }
}

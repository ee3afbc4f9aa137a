import Foundation
import Testing
import ServiceLifecycle
import AppTestSupport
import Storage
@testable import Newsroom

/// Ended sessions (with their sealed tokens) and expired login attempts are deleted in the background, not only
/// when someone happens to come back with the cookie.
@Suite struct HousekeepingTests {
    /// One hour idle, three hours absolute: short enough to walk through with the test clock.
    static func shortSessions(_ config: inout AppConfig) {
        config.idleTimeout = .seconds(3600)
        config.absoluteTimeout = .seconds(3 * 3600)
    }

    /// Sessions come in pairs with identical rows: the first of each pair is asked through a request (what
    /// `SessionManager.resolve` decides), the second is left to the purge, which must decide the same.
    @Test func purgeDeletesExactlyTheSessionsARequestWouldEndAndTheExpiredAttempts() async throws {
        try await AppHarness.run(configure: Self.shortSessions) { h in
            func pair() async throws -> (asked: Browser, purged: Browser) {
                (try await h.signedIn(as: "octocat"), try await h.signedIn(as: "octocat"))
            }
            let start = h.clock.now
            // Busy (last seen 15 minutes before the purge) but past its absolute expiry then (start + 3 h).
            let absolute = try await pair()
            func useAbsolute() async throws {
                for browser in [absolute.asked, absolute.purged] { #expect(try await browser.get("/me").status == 200) }
            }
            h.clock.advance(by: 55 * 60)
            try await useAbsolute()
            h.clock.advance(by: 55 * 60)
            try await useAbsolute()
            h.clock.advance(by: 10 * 60)
            // Last seen exactly one idle timeout before the purge: ended, as `now >= lastSeenAt + idle` says.
            let idle = try await pair()
            h.clock.advance(by: 1)
            // One second short of its idle limit at the purge.
            let justInside = try await pair()
            h.clock.advance(by: 30 * 60 - 1)
            let fresh = try await pair()
            h.clock.advance(by: 15 * 60)
            try await useAbsolute()
            h.clock.advance(by: 15 * 60)
            let purgeTime = h.clock.now
            #expect(purgeTime == start.addingTimeInterval(3 * 3600))

            let attempt = { (state: String, expiresAt: Date) in
                LoginAttemptRecord(stateHash: state, browserBindingHash: "binding-\(state)", pkceVerifier: nil, nextPath: "/",
                                   createdAt: expiresAt.addingTimeInterval(-600), expiresAt: expiresAt)
            }
            try await h.store.createLoginAttempt(attempt("expired-earlier", purgeTime.addingTimeInterval(-60)))
            try await h.store.createLoginAttempt(attempt("expires-now", purgeTime))
            try await h.store.createLoginAttempt(attempt("live", purgeTime.addingTimeInterval(1)))

            let cases: [(name: String, pair: (asked: Browser, purged: Browser), ends: Bool)] = [
                ("absolute", absolute, true), ("idle", idle, true), ("just inside", justInside, false), ("fresh", fresh, false)]
            for c in cases {
                #expect(try await c.pair.asked.get("/me").status == (c.ends ? 302 : 200), "a request with the \(c.name) session")
            }
            // The asked halves of the ended pairs are gone already (the requests deleted them): two rows left to purge.
            #expect(try await h.housekeeping.purge(now: purgeTime) == Housekeeping.Purged(sessions: 2, loginAttempts: 2))
            for c in cases {
                await #expect((try h.storedSession(of: c.pair.purged) == nil) == c.ends, "the purge and a request disagree on the \(c.name) session")
            }
            #expect(try await h.store.takeLoginAttempt(stateHash: "expired-earlier") == nil)
            #expect(try await h.store.takeLoginAttempt(stateHash: "expires-now") == nil)
            #expect(try await h.store.takeLoginAttempt(stateHash: "live") != nil)
            // Nothing left to purge; the kept sessions still work.
            #expect(try await h.housekeeping.purge(now: purgeTime) == Housekeeping.Purged(sessions: 0, loginAttempts: 0))
            #expect(try await fresh.purged.get("/me").status == 200)
            #expect(try await justInside.purged.get("/me").status == 200)
        }
    }

    /// The service purges on its own, keeps going after a failed round, and stops on graceful shutdown.
    @Test(.timeLimit(.minutes(1)))
    func serviceRunsTheRoundsUntilGracefulShutdown() async throws {
        try await AppHarness.run(configure: Self.shortSessions) { h in
            let browser = try await h.signedIn(as: "octocat")
            let service = HousekeepingService(housekeeping: h.housekeeping, now: { h.clock.now },
                                              interval: .milliseconds(20), firstDelay: .zero)
            let group = ServiceGroup(services: [service], gracefulShutdownSignals: [], cancellationSignals: [], logger: h.logs.logger())
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                do {
                    try await h.logs.waitForLine(startingWith: "housekeeping purged 0 ended session(s)", timeout: .seconds(10))
                    // A round that fails (the table is away) is logged, and the next rounds still run.
                    _ = try await h.sqlite("ALTER TABLE sessions RENAME TO sessions_away;")
                    try await h.logs.waitForLine(startingWith: "housekeeping could not purge", timeout: .seconds(10))
                    _ = try await h.sqlite("ALTER TABLE sessions_away RENAME TO sessions;")
                    await #expect(try h.storedSession(of: browser) != nil)
                    h.clock.advance(by: 3600)
                    // Exactly one idle timeout later: ended, as a request would find it.
                    try await h.logs.waitForLine(startingWith: "housekeeping purged 1 ended session(s)", timeout: .seconds(10))
                    await #expect(try h.storedSession(of: browser) == nil)
                } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
                await group.triggerGracefulShutdown()
                // run() returns after graceful shutdown; the time limit reports a hang.
                try await tasks.waitForAll()
            }
        }
    }
}

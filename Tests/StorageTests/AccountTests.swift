import Foundation
import Storage
import StorageTestSupport
import Testing

private let octocat = UserRecord(githubID: 583231, login: "octocat", name: "The Octocat",
                                 avatarURL: "https://avatars.githubusercontent.com/u/583231", createdAt: epoch, updatedAt: epoch)

private func session(_ idHash: String, githubID: Int64 = 583231, createdAt: Date = epoch, lastSeenAt: Date = epoch,
                     absoluteExpiresAt: Date = minute(60 * 24 * 7)) -> SessionRecord {
    SessionRecord(idHash: idHash, githubID: githubID, csrfToken: "csrf-\(idHash)", encryptedToken: [0, 1, 2, 255, 0],
                  admittedBy: "org:acme", membershipCheckedAt: createdAt, lastGoodCheckAt: createdAt, createdAt: createdAt,
                  lastSeenAt: lastSeenAt, absoluteExpiresAt: absoluteExpiresAt)
}

/// A fresh store of `engine` with `octocat` stored.
private func storeWithUser(_ engine: StorageEngine) async throws -> any Store {
    let store = try await engine.makeStore()
    try await store.upsertUser(octocat)
    return store
}

@Suite("Users")
struct UserTests {
    @Test(arguments: StorageEngine.available)
    func renamedLoginUpdatesTheSameRowAndKeepsCreatedAt(engine: StorageEngine) async throws {
        let store = try await storeWithUser(engine)
        let renamed = UserRecord(githubID: 583231, login: "octo-renamed", name: nil, avatarURL: nil, createdAt: minute(5), updatedAt: minute(5))
        let stored = try await store.upsertUser(renamed)
        #expect(stored.login == "octo-renamed" && stored.name == nil && stored.avatarURL == nil)
        #expect(stored.createdAt == epoch && stored.updatedAt == minute(5))
        #expect(try await store.user(githubID: 583231) == stored)
        #expect(try await store.user(githubID: 1) == nil)
    }

    @Test(arguments: StorageEngine.available)
    func aReusedLoginIsADifferentUser(engine: StorageEngine) async throws {
        let store = try await storeWithUser(engine)
        try await store.upsertUser(UserRecord(githubID: 42, login: "octocat", createdAt: minute(1), updatedAt: minute(1)))
        #expect(try await store.user(githubID: 583231)?.name == "The Octocat")
        #expect(try await store.user(githubID: 42)?.login == "octocat")
    }
}

@Suite("Sessions")
struct SessionTests {
    @Test(arguments: StorageEngine.available)
    func createReadTouchAndMembership(engine: StorageEngine) async throws {
        let store = try await storeWithUser(engine)
        try await store.createSession(session("h1"))
        #expect(try await store.session(idHash: "h1") == session("h1"))
        #expect(try await store.session(idHash: "H1") == nil)

        #expect(try await store.touchSession(idHash: "h1", at: minute(3)))
        #expect(try await store.session(idHash: "h1")?.lastSeenAt == minute(3))
        #expect(try await store.touchSession(idHash: "missing", at: minute(3)) == false)

        #expect(try await store.updateMembership(idHash: "h1", checkedAt: minute(10), lastGoodCheckAt: minute(9), admittedBy: "team:acme/news"))
        let updated = try #require(try await store.session(idHash: "h1"))
        #expect(updated.membershipCheckedAt == minute(10) && updated.lastGoodCheckAt == minute(9) && updated.admittedBy == "team:acme/news")
        #expect(updated.encryptedToken == [0, 1, 2, 255, 0] && updated.csrfToken == "csrf-h1")
    }

    @Test(arguments: StorageEngine.available)
    func expiringTokenPairIsStoredAndReplacedTogether(engine: StorageEngine) async throws {
        let store = try await storeWithUser(engine)
        var expiring = session("h1")
        expiring.tokenExpiresAt = minute(480)
        expiring.encryptedRefreshToken = [9, 9, 9]
        try await store.createSession(expiring)
        #expect(try await store.session(idHash: "h1") == expiring)
        #expect(try await store.session(idHash: "h1")?.tokenExpiresAt == minute(480))

        #expect(try await store.updateTokens(idHash: "h1", encryptedToken: [7], encryptedRefreshToken: [8], tokenExpiresAt: minute(960)))
        let refreshed = try #require(try await store.session(idHash: "h1"))
        #expect(refreshed.encryptedToken == [7] && refreshed.encryptedRefreshToken == [8] && refreshed.tokenExpiresAt == minute(960))
        #expect(try await store.updateTokens(idHash: "missing", encryptedToken: [1], encryptedRefreshToken: nil, tokenExpiresAt: nil) == false)

        try await store.createSession(session("h2"))  // a token that never expires keeps both fields empty
        #expect(try await store.session(idHash: "h2")?.tokenExpiresAt == nil)
        #expect(try await store.session(idHash: "h2")?.encryptedRefreshToken == nil)
    }

    @Test(arguments: StorageEngine.available)
    func duplicateSessionOrUnknownUserIsRefused(engine: StorageEngine) async throws {
        let store = try await storeWithUser(engine)
        try await store.createSession(session("h1"))
        await #expect(throws: StorageError.alreadyExists(what: "a session with this id")) { try await store.createSession(session("h1")) }
        await #expect(throws: StorageError.unknownUser(githubID: 7)) { try await store.createSession(session("h2", githubID: 7)) }
        #expect(try await store.session(idHash: "h2") == nil)
    }

    @Test(arguments: StorageEngine.available)
    func flashIsTakenOnce(engine: StorageEngine) async throws {
        let store = try await storeWithUser(engine)
        try await store.createSession(session("h1"))
        #expect(try await store.takeFlash(idHash: "h1") == nil)
        #expect(try await store.setFlash(idHash: "h1", "Signed out of other devices"))
        #expect(try await store.takeFlash(idHash: "h1") == "Signed out of other devices")
        #expect(try await store.takeFlash(idHash: "h1") == nil)
        try await store.setFlash(idHash: "h1", "set then cleared")
        try await store.setFlash(idHash: "h1", nil)
        #expect(try await store.takeFlash(idHash: "h1") == nil)
        #expect(try await store.setFlash(idHash: "missing", "x") == false)
        #expect(try await store.takeFlash(idHash: "missing") == nil)
    }

    @Test(arguments: StorageEngine.available)
    func deleteOneOrAllOfAUser(engine: StorageEngine) async throws {
        let store = try await storeWithUser(engine)
        try await store.upsertUser(UserRecord(githubID: 42, login: "other", createdAt: epoch, updatedAt: epoch))
        try await store.createSession(session("a1"))
        try await store.createSession(session("a2"))
        try await store.createSession(session("b1", githubID: 42))
        #expect(try await store.deleteSession(idHash: "a1"))
        #expect(try await store.deleteSession(idHash: "a1") == false)
        #expect(try await store.deleteSessions(githubID: 583231) == 1)
        #expect(try await store.session(idHash: "a2") == nil)
        #expect(try await store.session(idHash: "b1") != nil)
    }

    /// Idle timeout 30 minutes, purged at minute 60: a session last seen at minute 30 reaches its idle limit
    /// exactly now, which the web side already treats as ended, so it goes too.
    @Test(arguments: StorageEngine.available)
    func purgeRemovesIdleAndAbsolutelyExpiredOnly(engine: StorageEngine) async throws {
        let store = try await storeWithUser(engine)
        try await store.createSession(session("idle", lastSeenAt: minute(0)))
        try await store.createSession(session("fresh", lastSeenAt: minute(50)))
        try await store.createSession(session("at-idle-limit", lastSeenAt: minute(30)))
        try await store.createSession(session("just-inside-idle-limit", lastSeenAt: minute(30.5)))
        try await store.createSession(session("absolute", lastSeenAt: minute(55), absoluteExpiresAt: minute(60)))
        try await store.createSession(session("absolute-later", lastSeenAt: minute(55), absoluteExpiresAt: minute(61)))
        #expect(try await store.countActiveSessions(now: minute(60), idleTimeout: 30 * 60) == 3, "the three the purge keeps")
        #expect(try await store.purgeExpiredSessions(now: minute(60), idleTimeout: 30 * 60) == 3)
        #expect(try await store.countActiveSessions(now: minute(60), idleTimeout: 30 * 60) == 3)
        for kept in ["fresh", "just-inside-idle-limit", "absolute-later"] {
            #expect(try await store.session(idHash: kept) != nil, "\(kept) should be kept")
        }
        for gone in ["idle", "at-idle-limit", "absolute"] {
            #expect(try await store.session(idHash: gone) == nil, "\(gone) should be purged")
        }
        #expect(try await store.purgeExpiredSessions(now: minute(60), idleTimeout: 30 * 60) == 0)
    }
}

@Suite("Login attempts")
struct LoginAttemptTests {
    private let attempt = LoginAttemptRecord(stateHash: "s1", browserBindingHash: "b1", pkceVerifier: "v".padding(toLength: 64, withPad: "x", startingAt: 0),
                                             nextPath: "/news/bbc?x=1", createdAt: epoch, expiresAt: minute(10))

    @Test(arguments: StorageEngine.available)
    func takenOnceThenGone(engine: StorageEngine) async throws {
        let store = try await engine.makeStore()
        try await store.createLoginAttempt(attempt)
        #expect(try await store.takeLoginAttempt(stateHash: "s1") == attempt)
        #expect(try await store.takeLoginAttempt(stateHash: "s1") == nil)
        #expect(try await store.takeLoginAttempt(stateHash: "never") == nil)
    }

    @Test(arguments: StorageEngine.available)
    func withoutPKCEAndDuplicateState(engine: StorageEngine) async throws {
        let store = try await engine.makeStore()
        var noPKCE = attempt
        noPKCE.pkceVerifier = nil
        try await store.createLoginAttempt(noPKCE)
        await #expect(throws: StorageError.alreadyExists(what: "a login attempt with this state")) { try await store.createLoginAttempt(attempt) }
        #expect(try await store.takeLoginAttempt(stateHash: "s1")?.pkceVerifier == nil)
    }

    @Test(arguments: StorageEngine.available)
    func concurrentTakesHandTheAttemptToExactlyOne(engine: StorageEngine) async throws {
        let store = try await engine.makeStore()
        try await store.createLoginAttempt(attempt)
        let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 { group.addTask { try await store.takeLoginAttempt(stateHash: "s1") != nil } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(winners == 1)
    }

    /// Every attempt lives equally long, so the later expiry (then the later stored) is the newer attempt.
    @Test(arguments: StorageEngine.available)
    func atMostMaxPendingAreKeptTheOldestGoingFirst(engine: StorageEngine) async throws {
        let store = try await engine.makeStore()
        let expiries = [minute(10), minute(11), minute(12), minute(12), minute(12)]
        for (n, expiresAt) in expiries.enumerated() {
            try await store.createLoginAttempt(LoginAttemptRecord(stateHash: "s\(n)", browserBindingHash: "b\(n)", pkceVerifier: nil,
                                                                  nextPath: "/\(n)", createdAt: epoch, expiresAt: expiresAt), maxPending: 2)
        }
        for gone in ["s0", "s1", "s2"] { #expect(try await store.takeLoginAttempt(stateHash: gone) == nil, "\(gone) should be gone") }
        #expect(try await store.takeLoginAttempt(stateHash: "s3")?.nextPath == "/3")
        #expect(try await store.takeLoginAttempt(stateHash: "s4")?.nextPath == "/4")
    }

    @Test(arguments: StorageEngine.available)
    func purgeRemovesExpiredOnly(engine: StorageEngine) async throws {
        let store = try await engine.makeStore()
        try await store.createLoginAttempt(attempt)
        var later = attempt
        later.stateHash = "s2"
        later.expiresAt = minute(20)
        try await store.createLoginAttempt(later)
        #expect(try await store.purgeExpiredLoginAttempts(now: minute(9)) == 0)
        #expect(try await store.purgeExpiredLoginAttempts(now: minute(10)) == 1)
        #expect(try await store.takeLoginAttempt(stateHash: "s1") == nil)
        #expect(try await store.takeLoginAttempt(stateHash: "s2") == later)
    }
}

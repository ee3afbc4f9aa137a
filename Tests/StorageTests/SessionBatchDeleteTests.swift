import Foundation
import Storage
import StorageTestSupport
import Testing

/// The deletes behind the retry of failed session deletes: many rows in one transaction, or every row.
@Suite struct SessionBatchDeleteTests {
    func store(_ engine: StorageEngine, withSessions count: Int) async throws -> any Store {
        let store = try await engine.makeStore()
        try await store.upsertUser(UserRecord(githubID: 1, login: "octocat", createdAt: epoch, updatedAt: epoch))
        for n in 0..<count {
            try await store.createSession(SessionRecord(
                idHash: "h\(n)", githubID: 1, csrfToken: "c\(n)", encryptedToken: [1], admittedBy: "org:acme",
                membershipCheckedAt: epoch, lastGoodCheckAt: epoch, createdAt: epoch, lastSeenAt: epoch, absoluteExpiresAt: minute(60)))
        }
        return store
    }

    /// More hashes than SQLite binds in one statement (the list can hold thousands; PostgreSQL binds more, but not without limit), some already gone, and a
    /// hostile one that must match nothing.
    @Test(arguments: StorageEngine.available)
    func deletesExactlyTheNamedSessionsHoweverMany(engine: StorageEngine) async throws {
        let store = try await store(engine, withSessions: 1_200)
        let named = (0..<1_100).map { "h\($0)" } + ["gone-already", "h1' OR '1'='1"]
        #expect(try await store.deleteSessions(idHashes: named) == 1_100)
        #expect(try await store.session(idHash: "h1099") == nil)
        for n in 1_100..<1_200 { #expect(try await store.session(idHash: "h\(n)") != nil) }
        #expect(try await store.deleteSessions(idHashes: []) == 0)
        #expect(try await store.deleteSessions(idHashes: named) == 0, "deleting again is harmless")
    }

    @Test(arguments: StorageEngine.available)
    func deleteAllSessionsEndsEveryOne(engine: StorageEngine) async throws {
        let store = try await store(engine, withSessions: 3)
        #expect(try await store.deleteAllSessions() == 3)
        #expect(try await store.session(idHash: "h0") == nil)
        #expect(try await store.user(githubID: 1) != nil, "users stay")
    }
}

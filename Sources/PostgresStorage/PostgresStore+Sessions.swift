import Foundation
import PostgresNIO
import Storage

// Operation names here never include the id hash or any token: they end up in error messages.
extension PostgresStore {
    /// Stores a new session. The user must have been stored with `upsertUser` first.
    /// - Throws: `unknownUser` when it was not, `alreadyExists` when a session has this id hash.
    public func createSession(_ session: SessionRecord) async throws(StorageError) {
        try await run("creating a session") { connection in
            do {
                try await connection.execute("""
                    INSERT INTO sessions (idHash, githubID, csrfToken, encryptedToken, admittedBy, membershipCheckedAt, lastGoodCheckAt,
                        createdAt, lastSeenAt, absoluteExpiresAt, flash, tokenExpiresAt, encryptedRefreshToken)
                    VALUES (\(session.idHash), \(session.githubID), \(session.csrfToken), \(session.encryptedToken.bytea), \(session.admittedBy),
                        \(session.membershipCheckedAt.seconds), \(session.lastGoodCheckAt.seconds), \(session.createdAt.seconds),
                        \(session.lastSeenAt.seconds), \(session.absoluteExpiresAt.seconds), \(session.flash),
                        \(session.tokenExpiresAt.seconds), \(session.encryptedRefreshToken?.bytea))
                    """)
            } catch where PostgresFailure.sqlState(of: error) == "23503" {
                throw StorageError.unknownUser(githubID: session.githubID)
            } catch where PostgresFailure.sqlState(of: error) == "23505" {
                throw StorageError.alreadyExists(what: "a session with this id")
            }
        }
    }

    /// The session with this id hash, expired or not: the caller applies its idle and absolute timeouts.
    public func session(idHash: String) async throws(StorageError) -> SessionRecord? {
        try await run("reading a session") { connection in
            try await connection.rows("SELECT \(unescaped: Columns.session) FROM sessions s WHERE s.idHash = \(idHash)")
                .first.map(SessionRecord.init(row:))
        }
    }

    /// Marks the session as used at `at` (for the idle timeout). Returns false when there is no such session.
    @discardableResult
    public func touchSession(idHash: String, at: Date) async throws(StorageError) -> Bool {
        try await run("touching a session") { connection in
            try await !connection.rows("UPDATE sessions SET lastSeenAt = \(at.seconds) WHERE idHash = \(idHash) RETURNING 1").isEmpty
        }
    }

    /// Records a membership re-check. Returns false when there is no such session.
    @discardableResult
    public func updateMembership(idHash: String, checkedAt: Date, lastGoodCheckAt: Date, admittedBy: String) async throws(StorageError) -> Bool {
        try await run("updating a session's membership check") { connection in
            try await !connection.rows("""
                UPDATE sessions SET membershipCheckedAt = \(checkedAt.seconds), lastGoodCheckAt = \(lastGoodCheckAt.seconds),
                    admittedBy = \(admittedBy)
                WHERE idHash = \(idHash) RETURNING 1
                """).isEmpty
        }
    }

    /// Replaces the sealed token pair after a refresh, in one statement (the old pair is dead at GitHub already).
    @discardableResult
    public func updateTokens(idHash: String, encryptedToken: [UInt8], encryptedRefreshToken: [UInt8]?, tokenExpiresAt: Date?) async throws(StorageError) -> Bool {
        try await run("storing a session's refreshed token") { connection in
            try await !connection.rows("""
                UPDATE sessions SET encryptedToken = \(encryptedToken.bytea), encryptedRefreshToken = \(encryptedRefreshToken?.bytea),
                    tokenExpiresAt = \(tokenExpiresAt.seconds)
                WHERE idHash = \(idHash) RETURNING 1
                """).isEmpty
        }
    }

    /// Sets (or with nil clears) the one-time message. Returns false when there is no such session.
    @discardableResult
    public func setFlash(idHash: String, _ message: String?) async throws(StorageError) -> Bool {
        try await run("setting a session's flash message") { connection in
            try await !connection.rows("UPDATE sessions SET flash = \(message) WHERE idHash = \(idHash) RETURNING 1").isEmpty
        }
    }

    /// Returns the one-time message and clears it in the same transaction, so it shows once: the row is locked
    /// while it is read, so two requests taking it at once get it once between them.
    public func takeFlash(idHash: String) async throws(StorageError) -> String? {
        try await run("taking a session's flash message", .write) { connection in
            guard let row = try await connection.rows("SELECT flash FROM sessions WHERE idHash = \(idHash) FOR UPDATE").first else {
                return nil
            }
            var reader = RowReader(row)
            let message = try reader.next(String?.self)
            if message != nil {
                try await connection.execute("UPDATE sessions SET flash = NULL WHERE idHash = \(idHash)")
            }
            return message
        }
    }

    /// Deletes one session (logout). Returns false when there was none.
    @discardableResult
    public func deleteSession(idHash: String) async throws(StorageError) -> Bool {
        try await run("deleting a session") { connection in
            try await !connection.rows("DELETE FROM sessions WHERE idHash = \(idHash) RETURNING 1").isEmpty
        }
    }

    /// Deletes the sessions with these id hashes in one statement (the retry of deletes that failed). Returns how
    /// many rows were still there.
    @discardableResult
    public func deleteSessions(idHashes: [String]) async throws(StorageError) -> Int {
        guard !idHashes.isEmpty else { return 0 }
        return try await run("deleting ended sessions") { connection in
            try await connection.integer("""
                WITH gone AS (DELETE FROM sessions WHERE idHash = ANY(\(idHashes)) RETURNING 1) SELECT count(*) FROM gone
                """)
        }
    }

    /// Deletes every session: everyone signs in again. Returns how many.
    @discardableResult
    public func deleteAllSessions() async throws(StorageError) -> Int {
        try await run("deleting every session") { connection in
            try await connection.integer("WITH gone AS (DELETE FROM sessions RETURNING 1) SELECT count(*) FROM gone")
        }
    }

    /// Deletes every session of a user (revoked token, removed member). Returns how many.
    @discardableResult
    public func deleteSessions(githubID: Int64) async throws(StorageError) -> Int {
        try await run("deleting the sessions of GitHub user \(githubID)") { connection in
            try await connection.integer("""
                WITH gone AS (DELETE FROM sessions WHERE githubID = \(githubID) RETURNING 1) SELECT count(*) FROM gone
                """)
        }
    }

    /// Deletes the sessions that are over at `now`: past their absolute expiry, or unused for `idleTimeout` seconds
    /// (the test the web side applies to a session it reads). Returns how many.
    @discardableResult
    public func purgeExpiredSessions(now: Date, idleTimeout: TimeInterval) async throws(StorageError) -> Int {
        try await run("purging expired sessions") { connection in
            try await connection.integer("""
                WITH gone AS (
                    DELETE FROM sessions WHERE absoluteExpiresAt <= \(now.seconds) OR lastSeenAt + \(idleTimeout) <= \(now.seconds)
                    RETURNING 1
                ) SELECT count(*) FROM gone
                """)
        }
    }
}

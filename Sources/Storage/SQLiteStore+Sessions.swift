import Foundation
internal import GRDB

// Operation names here never include the id hash or any token: they end up in error messages.
extension SQLiteStore {
    /// Stores a new session. The user must have been stored with `upsertUser` first.
    public func createSession(_ session: SessionRecord) async throws(StorageError) {
        try await write("creating a session") { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE githubID = ?", arguments: [session.githubID]) != nil else {
                throw StorageError.unknownUser(githubID: session.githubID)
            }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM sessions WHERE idHash = ?", arguments: [session.idHash]) == nil else {
                throw StorageError.alreadyExists(what: "a session with this id")
            }
            try db.execute(sql: """
                INSERT INTO sessions (idHash, githubID, csrfToken, encryptedToken, admittedBy, membershipCheckedAt, lastGoodCheckAt,
                    createdAt, lastSeenAt, absoluteExpiresAt, flash, tokenExpiresAt, encryptedRefreshToken)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [session.idHash, session.githubID, session.csrfToken, Data(session.encryptedToken), session.admittedBy,
                                 session.membershipCheckedAt.databaseSeconds, session.lastGoodCheckAt.databaseSeconds,
                                 session.createdAt.databaseSeconds, session.lastSeenAt.databaseSeconds,
                                 session.absoluteExpiresAt.databaseSeconds, session.flash,
                                 session.tokenExpiresAt.databaseSeconds, session.encryptedRefreshToken.map { Data($0) }])
        }
    }

    /// The session with this id hash, expired or not: the caller applies its idle and absolute timeouts.
    public func session(idHash: String) async throws(StorageError) -> SessionRecord? {
        try await read("reading a session") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE idHash = ?", arguments: [idHash]).map(SessionRecord.init(row:))
        }
    }

    /// Marks the session as used at `at` (for the idle timeout). Returns false when there is no such session.
    @discardableResult
    public func touchSession(idHash: String, at: Date) async throws(StorageError) -> Bool {
        try await write("touching a session") { db in
            try db.execute(sql: "UPDATE sessions SET lastSeenAt = ? WHERE idHash = ?", arguments: [at.databaseSeconds, idHash])
            return db.changesCount > 0
        }
    }

    /// Records a membership re-check. Returns false when there is no such session.
    @discardableResult
    public func updateMembership(idHash: String, checkedAt: Date, lastGoodCheckAt: Date, admittedBy: String) async throws(StorageError) -> Bool {
        try await write("updating a session's membership check") { db in
            try db.execute(sql: """
                UPDATE sessions SET membershipCheckedAt = ?, lastGoodCheckAt = ?, admittedBy = ? WHERE idHash = ?
                """, arguments: [checkedAt.databaseSeconds, lastGoodCheckAt.databaseSeconds, admittedBy, idHash])
            return db.changesCount > 0
        }
    }

    /// Replaces the sealed token pair after a refresh, in one statement (the old pair is dead at GitHub already).
    @discardableResult
    public func updateTokens(idHash: String, encryptedToken: [UInt8], encryptedRefreshToken: [UInt8]?, tokenExpiresAt: Date?) async throws(StorageError) -> Bool {
        try await write("storing a session's refreshed token") { db in
            try db.execute(sql: "UPDATE sessions SET encryptedToken = ?, encryptedRefreshToken = ?, tokenExpiresAt = ? WHERE idHash = ?",
                           arguments: [Data(encryptedToken), encryptedRefreshToken.map { Data($0) }, tokenExpiresAt.databaseSeconds, idHash])
            return db.changesCount > 0
        }
    }

    /// Sets (or with nil clears) the one-time message. Returns false when there is no such session.
    @discardableResult
    public func setFlash(idHash: String, _ message: String?) async throws(StorageError) -> Bool {
        try await write("setting a session's flash message") { db in
            try db.execute(sql: "UPDATE sessions SET flash = ? WHERE idHash = ?", arguments: [message, idHash])
            return db.changesCount > 0
        }
    }

    /// Returns the one-time message and clears it in the same transaction, so it shows once.
    public func takeFlash(idHash: String) async throws(StorageError) -> String? {
        try await write("taking a session's flash message") { db in
            let message = try String.fetchOne(db, sql: "SELECT flash FROM sessions WHERE idHash = ?", arguments: [idHash])
            if message != nil {
                try db.execute(sql: "UPDATE sessions SET flash = NULL WHERE idHash = ?", arguments: [idHash])
            }
            return message
        }
    }

    /// Deletes one session (logout). Returns false when there was none.
    @discardableResult
    public func deleteSession(idHash: String) async throws(StorageError) -> Bool {
        try await write("deleting a session") { db in
            try db.execute(sql: "DELETE FROM sessions WHERE idHash = ?", arguments: [idHash])
            return db.changesCount > 0
        }
    }

    /// Deletes the sessions with these id hashes in one transaction (the retry of deletes that failed). Returns how
    /// many rows were still there.
    @discardableResult
    public func deleteSessions(idHashes: [String]) async throws(StorageError) -> Int {
        guard !idHashes.isEmpty else { return 0 }
        return try await write("deleting ended sessions") { db in
            var deleted = 0
            // Chunked: SQLite caps the number of bound parameters in one statement.
            for start in stride(from: 0, to: idHashes.count, by: 500) {
                let chunk = Array(idHashes[start..<min(start + 500, idHashes.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                try db.execute(sql: "DELETE FROM sessions WHERE idHash IN (\(marks))", arguments: StatementArguments(chunk))
                deleted += db.changesCount
            }
            return deleted
        }
    }

    /// Deletes every session: everyone signs in again. Returns how many.
    @discardableResult
    public func deleteAllSessions() async throws(StorageError) -> Int {
        try await write("deleting every session") { db in
            try db.execute(sql: "DELETE FROM sessions")
            return db.changesCount
        }
    }

    /// Deletes every session of a user (revoked token, removed member). Returns how many.
    @discardableResult
    public func deleteSessions(githubID: Int64) async throws(StorageError) -> Int {
        try await write("deleting the sessions of GitHub user \(githubID)") { db in
            try db.execute(sql: "DELETE FROM sessions WHERE githubID = ?", arguments: [githubID])
            return db.changesCount
        }
    }

    /// Deletes the sessions that are over at `now`: past their absolute expiry, or unused for `idleTimeout` seconds.
    /// The test is the one the web side applies to a session it reads (`now >= absoluteExpiresAt` or
    /// `now >= lastSeenAt + idleTimeout`), so a purge removes exactly the sessions no request would accept.
    /// Returns how many.
    @discardableResult
    public func purgeExpiredSessions(now: Date, idleTimeout: TimeInterval) async throws(StorageError) -> Int {
        try await write("purging expired sessions") { db in
            try db.execute(sql: "DELETE FROM sessions WHERE absoluteExpiresAt <= ? OR lastSeenAt + ? <= ?",
                           arguments: [now.databaseSeconds, idleTimeout, now.databaseSeconds])
            return db.changesCount
        }
    }
}

import Foundation
internal import GRDB

extension SQLiteStore {
    /// Stores a sign-in in progress until its callback takes it, keeping at most `maxPending` attempts: the
    /// oldest go first, so requests from many addresses cannot grow the table without bound either.
    public func createLoginAttempt(_ attempt: LoginAttemptRecord, maxPending: Int) async throws(StorageError) {
        try await write("creating a login attempt") { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM login_attempts WHERE stateHash = ?", arguments: [attempt.stateHash]) == nil else {
                throw StorageError.alreadyExists(what: "a login attempt with this state")
            }
            try db.execute(sql: """
                INSERT INTO login_attempts (stateHash, browserBindingHash, pkceVerifier, nextPath, createdAt, expiresAt)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [attempt.stateHash, attempt.browserBindingHash, attempt.pkceVerifier, attempt.nextPath,
                                 attempt.createdAt.databaseSeconds, attempt.expiresAt.databaseSeconds])
            if maxPending < Int.max {
                // Every attempt lives equally long, so the latest expiries (then the latest rows) are the newest attempts.
                try db.execute(sql: """
                    DELETE FROM login_attempts WHERE stateHash IN
                        (SELECT stateHash FROM login_attempts ORDER BY expiresAt DESC, rowid DESC LIMIT -1 OFFSET ?)
                    """, arguments: [max(1, maxPending)])
            }
        }
    }

    /// Deletes and returns the attempt in one write transaction, so a replayed `state` finds nothing.
    /// Expired attempts are returned too (and deleted): the caller compares `expiresAt` with its clock.
    public func takeLoginAttempt(stateHash: String) async throws(StorageError) -> LoginAttemptRecord? {
        try await write("taking a login attempt") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM login_attempts WHERE stateHash = ?", arguments: [stateHash]) else {
                return nil
            }
            try db.execute(sql: "DELETE FROM login_attempts WHERE stateHash = ?", arguments: [stateHash])
            return LoginAttemptRecord(row: row)
        }
    }

    /// Deletes attempts whose `expiresAt` is at or before `now`. Returns how many.
    @discardableResult
    public func purgeExpiredLoginAttempts(now: Date) async throws(StorageError) -> Int {
        try await write("purging expired login attempts") { db in
            try db.execute(sql: "DELETE FROM login_attempts WHERE expiresAt <= ?", arguments: [now.databaseSeconds])
            return db.changesCount
        }
    }
}

import Foundation
import PostgresNIO
import Storage

extension PostgresStore {
    /// Stores a sign-in in progress until its callback takes it, keeping at most `maxPending` attempts (at least 1):
    /// the oldest go first (earliest expiry, then earliest stored), so requests from many addresses cannot grow the
    /// table without bound either.
    public func createLoginAttempt(_ attempt: LoginAttemptRecord, maxPending: Int) async throws(StorageError) {
        try await run("creating a login attempt", .write) { connection in
            do {
                try await connection.execute("""
                    INSERT INTO login_attempts (stateHash, browserBindingHash, pkceVerifier, nextPath, createdAt, expiresAt)
                    VALUES (\(attempt.stateHash), \(attempt.browserBindingHash), \(attempt.pkceVerifier), \(attempt.nextPath),
                            \(attempt.createdAt.seconds), \(attempt.expiresAt.seconds))
                    """)
            } catch where PostgresFailure.sqlState(of: error) == "23505" {
                throw StorageError.alreadyExists(what: "a login attempt with this state")
            }
            if maxPending < Int.max {
                try await connection.execute("""
                    DELETE FROM login_attempts WHERE stateHash IN
                        (SELECT stateHash FROM login_attempts ORDER BY expiresAt DESC, seq DESC OFFSET \(max(1, maxPending)))
                    """)
            }
        }
    }

    /// Deletes and returns the attempt in one statement, so a replayed `state` finds nothing (a concurrent replay
    /// waits for the row and then finds it gone). Expired attempts are returned too: the caller checks `expiresAt`.
    public func takeLoginAttempt(stateHash: String) async throws(StorageError) -> LoginAttemptRecord? {
        try await run("taking a login attempt") { connection in
            try await connection.rows("""
                DELETE FROM login_attempts l WHERE l.stateHash = \(stateHash) RETURNING \(unescaped: Columns.loginAttempt)
                """).first.map(LoginAttemptRecord.init(row:))
        }
    }

    /// Deletes attempts whose `expiresAt` is at or before `now`. Returns how many.
    @discardableResult
    public func purgeExpiredLoginAttempts(now: Date) async throws(StorageError) -> Int {
        try await run("purging expired login attempts") { connection in
            try await connection.integer("""
                WITH gone AS (DELETE FROM login_attempts WHERE expiresAt <= \(now.seconds) RETURNING 1) SELECT count(*) FROM gone
                """)
        }
    }
}

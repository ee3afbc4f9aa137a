import Foundation
import PostgresNIO
import Storage

extension PostgresStore {
    /// How many sessions are live at `now`: neither past their absolute expiry nor unused for `idleTimeout` seconds.
    /// The negation of `purgeExpiredSessions`'s test, so a session counts here exactly until a purge may delete it.
    public func countActiveSessions(now: Date, idleTimeout: TimeInterval) async throws(StorageError) -> Int {
        try await run("counting active sessions") { connection in
            try await connection.integer("""
                SELECT count(*) FROM sessions
                WHERE absoluteExpiresAt > \(now.seconds) AND lastSeenAt + \(idleTimeout) > \(now.seconds)
                """)
        }
    }
}

import Foundation
internal import GRDB

extension SQLiteStore {
    /// How many sessions are live at `now`: neither past their absolute expiry nor unused for `idleTimeout` seconds.
    /// The test is the negation of `purgeExpiredSessions`, so a session counts here exactly until a purge may delete it.
    public func countActiveSessions(now: Date, idleTimeout: TimeInterval) async throws(StorageError) -> Int {
        try await read("counting active sessions") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions WHERE absoluteExpiresAt > ? AND lastSeenAt + ? > ?",
                             arguments: [now.databaseSeconds, idleTimeout, now.databaseSeconds]) ?? 0
        }
    }
}

import Foundation
import Logging
import Storage

/// Deletes rows that have outlived their use: sessions that have ended (their sealed GitHub tokens with them)
/// and sign-ins that were never finished. `HousekeepingService` runs it on a schedule; tests call it directly.
public struct Housekeeping: Sendable {
    /// How many rows one purge deleted.
    public struct Purged: Sendable, Equatable {
        public var sessions: Int
        public var loginAttempts: Int
    }

    let store: Store
    /// Seconds without a request after which a session is over, converted as `SessionManager` converts it, so the
    /// purge removes exactly the sessions `SessionManager.resolve` would end.
    let idleTimeout: TimeInterval
    let logger: Logger

    public init(store: Store, idleTimeout: TimeInterval, logger: Logger) {
        self.store = store
        self.idleTimeout = idleTimeout
        self.logger = logger
    }

    /// Deletes the sessions past their absolute expiry or idle limit at `now`, and the login attempts expired by then.
    public func purge(now: Date) throws(StorageError) -> Purged {
        let sessions = try store.purgeExpiredSessions(now: now, idleTimeout: idleTimeout)
        let loginAttempts = try store.purgeExpiredLoginAttempts(now: now)
        return Purged(sessions: sessions, loginAttempts: loginAttempts)
    }

    /// One scheduled round: purges and logs the counts (never a row's content). A failure is logged and left for
    /// the next round; nothing is thrown, so the loop keeps going.
    func round(now: Date) {
        do {
            let purged = try purge(now: now)
            let level: Logger.Level = purged.sessions + purged.loginAttempts == 0 ? .debug : .info
            logger.log(level: level, "housekeeping purged \(purged.sessions) ended session(s) and \(purged.loginAttempts) expired login attempt(s)")
        } catch {
            logger.warning("housekeeping could not purge expired rows, retrying next round: \(error)")
        }
    }
}

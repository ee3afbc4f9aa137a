import Foundation
import Logging
import Storage

/// Keeps the database lean: deletes rows that have outlived their use (sessions that have ended, their sealed
/// GitHub tokens with them, and sign-ins that were never finished), trims articles past the retention limit, and
/// lets SQLite refresh its planner statistics (`PRAGMA optimize`). `HousekeepingService` runs it on a schedule;
/// tests call it directly.
///
/// Retention: each publication keeps its newest `StoreLimits.articleRetention` (500) articles, plus every article
/// of its latest fetch (the current headline among them). Each fetch trims its own publication; housekeeping trims
/// them all, so a publication that stopped fetching (removed from feeds.json, or failing) is held to it too.
/// A removed publication's articles are otherwise kept, for when it comes back.
public struct Housekeeping: Sendable {
    /// How many rows one purge deleted.
    public struct Purged: Sendable, Equatable {
        public var sessions: Int
        public var loginAttempts: Int
    }

    /// What one round did; a step that failed is nil (and logged), and the others still ran.
    public struct Report: Sendable, Equatable {
        public var purged: Purged?
        public var articlesTrimmed: Int?
        public var optimized: Bool
    }

    let store: any Store
    /// Seconds without a request after which a session is over, converted as `SessionManager` converts it, so the
    /// purge removes exactly the sessions `SessionManager.resolve` would end.
    let idleTimeout: TimeInterval
    let logger: Logger
    /// Whether this instance runs the round at this time (see `takingTurns`).
    let mayRun: @Sendable (Date) async -> Bool
    /// Articles kept per publication beyond its latest fetch.
    let articleRetention: Int

    public init(store: any Store, idleTimeout: TimeInterval, logger: Logger, articleRetention: Int = StoreLimits.articleRetention,
                mayRun: @escaping @Sendable (Date) async -> Bool = { _ in true }) {
        self.store = store
        self.idleTimeout = idleTimeout
        self.logger = logger
        self.articleRetention = articleRetention
        self.mayRun = mayRun
    }

    /// Instances on one database take turns: a round runs where the `housekeeping` lease was taken, and the lease
    /// lasts a little less than the service's interval, so the instance that ran the last round usually renews it,
    /// and another takes over within a round when that one is gone. On SQLite (one server per file) it always runs.
    public static func takingTurns(on store: any Store, logger: Logger,
                                   lease: TimeInterval = 0.9 * Double(HousekeepingService.defaultInterval.components.seconds))
        -> @Sendable (Date) async -> Bool {
        let instance = UUID().uuidString
        return { now in
            do {
                return try await store.claimLease("housekeeping", holder: instance, now: now, until: now.addingTimeInterval(lease))
            } catch {
                logger.warning("housekeeping skipped this round: cannot take its turn: \(error)")
                return false
            }
        }
    }

    /// Deletes the sessions past their absolute expiry or idle limit at `now`, and the login attempts expired by then.
    public func purge(now: Date) async throws(StorageError) -> Purged {
        let sessions = try await store.purgeExpiredSessions(now: now, idleTimeout: idleTimeout)
        let loginAttempts = try await store.purgeExpiredLoginAttempts(now: now)
        return Purged(sessions: sessions, loginAttempts: loginAttempts)
    }

    /// One scheduled round: purge, retention, `PRAGMA optimize`, each logged by its counts (never a row's content).
    /// A step that fails is logged and left for the next round; nothing is thrown, so the loop keeps going.
    /// Returns nil when another instance holds the round.
    @discardableResult
    public func round(now: Date) async -> Report? {
        guard await mayRun(now) else { return nil }
        var report = Report(purged: nil, articlesTrimmed: nil, optimized: false)
        do {
            let purged = try await purge(now: now)
            report.purged = purged
            let level: Logger.Level = purged.sessions + purged.loginAttempts == 0 ? .debug : .info
            logger.log(level: level, "housekeeping purged \(purged.sessions) ended session(s) and \(purged.loginAttempts) expired login attempt(s)")
        } catch {
            logger.warning("housekeeping could not purge expired rows, retrying next round: \(error)")
        }
        do {
            let trimmed = try await store.applyArticleRetention(keep: articleRetention)
            report.articlesTrimmed = trimmed
            logger.log(level: trimmed == 0 ? .debug : .info, "housekeeping trimmed \(trimmed) article(s) past the retention limit")
        } catch {
            logger.warning("housekeeping could not trim old articles, retrying next round: \(error)")
        }
        do {
            try await store.optimize()
            report.optimized = true
        } catch {
            logger.warning("housekeeping could not optimize the database, retrying next round: \(error)")
        }
        return report
    }
}

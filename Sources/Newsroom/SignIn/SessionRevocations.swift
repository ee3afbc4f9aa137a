import Foundation
import Logging
import Storage

/// The one way a session ends (sign-out, timeout, refused re-check, rotation at sign-in): it is refused in memory
/// first, then its row is deleted; a delete that fails is retried in the background until it succeeds, and the
/// session stays refused meanwhile. Ignoring a failed delete would let the cookie work again.
final class SessionRevocations: Sendable {
    /// Why a session ended, for the log line of a delete that failed.
    enum Cause: String, Sendable {
        case signOut = "sign-out"
        case timedOut = "timeout"
        case refusedByRecheck = "membership re-check"
        case replacedAtSignIn = "sign-in rotation"
        case userGone = "user gone"
    }

    let store: any Store
    let denyList: any SessionDenyList
    let logger: Logger
    /// Told the id hash of every session that ended, so caches keyed by it can let go (the member's pages).
    let onEnded: @Sendable (String) -> Void
    /// Told of every deleted session, for the other instances on the same database (nil: there are none).
    let changes: (any ChangeChannel)?
    private let retrier: SessionDeleteRetrier
    static let defaultRetryInterval: Duration = .seconds(2)

    init(store: any Store, denyList: any SessionDenyList, retryInterval: Duration = SessionRevocations.defaultRetryInterval,
         logger: Logger, changes: (any ChangeChannel)? = nil, onEnded: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.changes = changes
        self.denyList = denyList
        self.logger = logger
        self.onEnded = onEnded
        retrier = SessionDeleteRetrier(interval: retryInterval,
                                       round: { [store, denyList, logger, changes] in await Self.retry(store: store, denyList: denyList, logger: logger, changes: changes) },
                                       isIdle: { [denyList] in let p = denyList.pending(); return p.hashes.isEmpty && p.overflowEpoch == nil })
    }

    func standing(of idHash: String) -> SessionStanding { denyList.standing(of: idHash) }

    /// Ends the session now; returns whether its row is gone already (false: deny-listed, the delete is retried).
    /// - Parameter dropCopies: drops in-memory copies of the row; run once the session is denied, so a request that
    ///   read the row before cannot put a copy back (it checked the list before the cache's generation moved).
    @discardableResult
    func end(_ idHash: String, because cause: Cause, dropCopies: () -> Void) async -> Bool {
        let recorded = denyList.deny(idHash)
        dropCopies()
        onEnded(idHash)
        if !recorded {
            logger.error("too many session deletes are pending: every session is refused until the database answers, then all are deleted")
        }
        do {
            try await store.deleteSession(idHash: idHash)
        } catch {
            // The id hash is the row's key and the cookie's digest: it stays out of the log too.
            logger.warning("could not delete a session ended by \(cause.rawValue); it is refused in memory and the delete is retried: \(error)")
            retrier.wake()
            return false
        }
        if recorded { denyList.retired([idHash], untrustedSince: nil) } else { retrier.wake() }
        // Only once the row is gone: an instance that dropped its copy earlier could read the row back into its cache.
        await changes?.publish(.sessionEnded(idHash: idHash))
        return true
    }

    /// One retry round (the retrier runs it every interval while anything is pending; tests may call it directly).
    func retryPending() async { await Self.retry(store: store, denyList: denyList, logger: logger, changes: changes) }

    private static func retry(store: any Store, denyList: any SessionDenyList, logger: Logger, changes: (any ChangeChannel)?) async {
        let (hashes, overflowEpoch) = denyList.pending()
        guard !hashes.isEmpty || overflowEpoch != nil else { return }
        do {
            if overflowEpoch != nil {
                let deleted = try await store.deleteAllSessions()
                logger.warning("deleted every session (\(deleted)) after too many failed session deletes: everyone signs in again")
            } else {
                try await store.deleteSessions(idHashes: hashes)
            }
        } catch {
            logger.warning("still cannot delete \(hashes.count) ended session(s), retrying: \(error)")
            return
        }
        denyList.retired(hashes, untrustedSince: overflowEpoch)
        logger.info("completed \(hashes.count) pending session delete(s)")
        for idHash in hashes { await changes?.publish(.sessionEnded(idHash: idHash)) }
    }
}

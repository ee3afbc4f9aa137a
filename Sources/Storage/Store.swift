import Foundation

/// The newsroom database, whichever engine holds it: SQLite (`SQLiteStore`, the embedded default) or PostgreSQL
/// (`PostgresStore`, for several instances). Both keep the same logical schema and answer every call the same way;
/// one contract suite of tests runs against each.
///
/// Every operation is `async` and never blocks a cooperative thread: SQLite runs on GRDB's own dispatch queues,
/// PostgreSQL on NIO's event loops. Each is one transaction, so callers never see a half-applied change. Storage
/// never reads the clock: every time comes in as a parameter. Every failure is a `StorageError` whose message
/// names no stored secret (session hashes, tokens).
public protocol Store: Sendable {
    /// Where the data lives, for messages: a file path, or a PostgreSQL URL without its password.
    var location: String { get }

    /// The same database, but every call gives up with `StorageError.busy` after `limit` (and the call is cancelled
    /// if it has not started): what request handlers use, so a locked or slow database answers 503, never a hang.
    func limitingWaits(to limit: Duration) -> any Store

    // MARK: Readiness (cheap, bounded, change nothing)

    /// A trivial query succeeds.
    func isReachable() async -> Bool
    /// This process could write now (takes the write lock and rolls back).
    func isWritable() async -> Bool

    // MARK: Publications

    /// Makes the stored publications match the catalog, in one transaction. Applying the same catalog twice changes
    /// nothing. - Returns: the ids that became active (new and re-added), in catalog order.
    @discardableResult
    func syncCatalog(_ configs: [PublicationConfig], now: Date) async throws(StorageError) -> [String]
    /// Active publications in catalog order.
    func publications() async throws(StorageError) -> [PublicationRecord]
    /// A slice of the active publications in catalog order, with how many there are.
    func publications(offset: Int, limit: Int) async throws(StorageError) -> Paged<PublicationRecord>
    /// A slice of the active publications, those whose latest fetch failed first, each group in catalog order.
    func publicationsFailingFirst(offset: Int, limit: Int) async throws(StorageError) -> Paged<PublicationRecord>
    /// The active publications' health in numbers (no article is read).
    func catalogSummary() async throws(StorageError) -> CatalogSummary
    /// The publication with exactly this id, active or not.
    func publication(id: String) async throws(StorageError) -> PublicationRecord?
    /// Active publications due at `now`, most overdue first.
    func duePublications(now: Date) async throws(StorageError) -> [PublicationRecord]
    /// Takes up to `limit` due publications for this instance to fetch, each with a lease until `leaseUntil`: while the
    /// lease holds, no other instance's claim returns it. Recording the fetch ends the lease; a lease left by an
    /// instance that died simply runs out. On SQLite (one server per file) this is `duePublications`, bounded.
    func claimDuePublications(now: Date, leaseUntil: Date, limit: Int) async throws(StorageError) -> [PublicationRecord]
    /// Stores a successful fetch in one transaction (articles upserted, failure state cleared, old articles trimmed).
    @discardableResult
    func recordFetchSuccess(publicationID: String, articles: [ArticleInput], etag: String?, lastModified: String?,
                            httpStatus: Int, fetchedAt: Date, nextDueAt: Date) async throws(StorageError) -> UpsertSummary
    /// Records a 304 Not Modified: a success that changes no article and keeps the validators.
    @discardableResult
    func recordNotModified(publicationID: String, httpStatus: Int, fetchedAt: Date, nextDueAt: Date) async throws(StorageError) -> PublicationRecord
    /// Records a failed fetch; the articles and the current headline stay as they were.
    @discardableResult
    func recordFetchFailure(publicationID: String, error: String, httpStatus: Int?, at: Date, nextDueAt: Date) async throws(StorageError) -> PublicationRecord

    // MARK: Articles

    /// The first item of the publication's latest successful fetch, or nil before any.
    func currentHeadline(of publicationID: String) async throws(StorageError) -> ArticleRecord?
    /// The publication's newest articles (publication date, else first-seen time, newest first; then feed order).
    func recentArticles(of publicationID: String, limit: Int) async throws(StorageError) -> [ArticleRecord]
    /// How many articles are stored for the publication (0 for an unknown one).
    func articleCount(of publicationID: String) async throws(StorageError) -> Int
    /// Every active publication in catalog order with its current headline, from one snapshot.
    func headlines() async throws(StorageError) -> [PublicationHeadline]
    /// A slice of the active publications as the home page lists them (recently changed first, failing last).
    func headlines(offset: Int, limit: Int) async throws(StorageError) -> Paged<PublicationHeadline>

    // MARK: Users and sessions

    /// Inserts the user or updates the row with the same GitHub id. - Returns: the stored row.
    @discardableResult
    func upsertUser(_ user: UserRecord) async throws(StorageError) -> UserRecord
    func user(githubID: Int64) async throws(StorageError) -> UserRecord?
    /// Stores a new session; its user must be stored first.
    func createSession(_ session: SessionRecord) async throws(StorageError)
    /// The session with this id hash, expired or not.
    func session(idHash: String) async throws(StorageError) -> SessionRecord?
    @discardableResult
    func touchSession(idHash: String, at: Date) async throws(StorageError) -> Bool
    @discardableResult
    func updateMembership(idHash: String, checkedAt: Date, lastGoodCheckAt: Date, admittedBy: String) async throws(StorageError) -> Bool
    @discardableResult
    func updateTokens(idHash: String, encryptedToken: [UInt8], encryptedRefreshToken: [UInt8]?, tokenExpiresAt: Date?) async throws(StorageError) -> Bool
    @discardableResult
    func setFlash(idHash: String, _ message: String?) async throws(StorageError) -> Bool
    /// Returns the one-time message and clears it in the same transaction.
    func takeFlash(idHash: String) async throws(StorageError) -> String?
    @discardableResult
    func deleteSession(idHash: String) async throws(StorageError) -> Bool
    @discardableResult
    func deleteSessions(idHashes: [String]) async throws(StorageError) -> Int
    @discardableResult
    func deleteAllSessions() async throws(StorageError) -> Int
    @discardableResult
    func deleteSessions(githubID: Int64) async throws(StorageError) -> Int
    /// Deletes the sessions over at `now` (past their absolute expiry, or idle for `idleTimeout`). Returns how many.
    @discardableResult
    func purgeExpiredSessions(now: Date, idleTimeout: TimeInterval) async throws(StorageError) -> Int
    /// How many sessions are live at `now` (the negation of `purgeExpiredSessions`'s test).
    func countActiveSessions(now: Date, idleTimeout: TimeInterval) async throws(StorageError) -> Int

    // MARK: Sign-ins in progress

    /// Stores a sign-in in progress, keeping at most `maxPending` (the oldest go first).
    func createLoginAttempt(_ attempt: LoginAttemptRecord, maxPending: Int) async throws(StorageError)
    /// Deletes and returns the attempt in one transaction, so a replayed `state` finds nothing.
    func takeLoginAttempt(stateHash: String) async throws(StorageError) -> LoginAttemptRecord?
    @discardableResult
    func purgeExpiredLoginAttempts(now: Date) async throws(StorageError) -> Int

    // MARK: Housekeeping

    /// Trims every publication's articles to `keep`, never one of a publication's latest fetch. Returns how many went.
    @discardableResult
    func applyArticleRetention(keep: Int) async throws(StorageError) -> Int
    /// Refreshes the query planner's statistics (`PRAGMA optimize` / `ANALYZE`).
    func optimize() async throws(StorageError)
    /// Takes (or renews) the lease `name` for `holder` until `until`: true when `holder` has it now, false while another
    /// holder's lease runs. How several instances take turns at a job one of them should do (housekeeping). On SQLite,
    /// one server per file, always true.
    func claimLease(_ name: String, holder: String, now: Date, until: Date) async throws(StorageError) -> Bool
}

extension Store {
    public func createLoginAttempt(_ attempt: LoginAttemptRecord) async throws(StorageError) {
        try await createLoginAttempt(attempt, maxPending: Int.max)
    }

    @discardableResult
    public func recordNotModified(publicationID: String, fetchedAt: Date, nextDueAt: Date) async throws(StorageError) -> PublicationRecord {
        try await recordNotModified(publicationID: publicationID, httpStatus: 304, fetchedAt: fetchedAt, nextDueAt: nextDueAt)
    }

    @discardableResult
    public func applyArticleRetention() async throws(StorageError) -> Int {
        try await applyArticleRetention(keep: StoreLimits.articleRetention)
    }
}

/// Limits both engines keep alike.
public enum StoreLimits {
    /// Articles kept per publication; the latest fetch is kept even beyond this.
    public static let articleRetention = 500
    /// How long a request handler waits for the database before answering 503.
    public static let requestWait: Duration = .milliseconds(250)
}

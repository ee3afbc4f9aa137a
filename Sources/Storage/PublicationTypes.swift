import Foundation
internal import GRDB

/// One publication as the catalog (feeds.json) lists it.
public struct PublicationConfig: Sendable, Equatable {
    public var id: String
    public var name: String
    public var url: String
    public var refreshMinutes: Int

    public init(id: String, name: String, url: String, refreshMinutes: Int) {
        self.id = id
        self.name = name
        self.url = url
        self.refreshMinutes = refreshMinutes
    }
}

/// A publication as stored: catalog fields plus fetch state.
public struct PublicationRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var url: String
    public var refreshMinutes: Int
    /// Index in the catalog; pages list publications in this order.
    public var position: Int
    /// False once the publication left the catalog; its articles stay.
    public var active: Bool
    public var etag: String?
    public var lastModified: String?
    public var lastFetchAttemptAt: Date?
    public var lastSuccessAt: Date?
    public var lastHTTPStatus: Int?
    public var lastError: String?
    /// When the current run of failures began; nil while healthy.
    public var failingSince: Date?
    public var consecutiveFailures: Int
    public var nextDueAt: Date
    /// Stored articles of this publication (kept in the row as articles come and go, never counted on read).
    public var articleCount: Int
    /// When a fetch last brought new or changed articles, or a new headline; nil before any. The home page lists
    /// the most recently changed publications first.
    public var contentChangedAt: Date?

    /// Fetch trouble right now: the latest fetch failed.
    public var isFailing: Bool { lastError != nil }

    /// Every field as stored: for the engines outside this module (PostgreSQL), which read rows their own way.
    package init(id: String, name: String, url: String, refreshMinutes: Int, position: Int, active: Bool,
                 etag: String?, lastModified: String?, lastFetchAttemptAt: Date?, lastSuccessAt: Date?,
                 lastHTTPStatus: Int?, lastError: String?, failingSince: Date?, consecutiveFailures: Int,
                 nextDueAt: Date, articleCount: Int, contentChangedAt: Date?) {
        self.id = id
        self.name = name
        self.url = url
        self.refreshMinutes = refreshMinutes
        self.position = position
        self.active = active
        self.etag = etag
        self.lastModified = lastModified
        self.lastFetchAttemptAt = lastFetchAttemptAt
        self.lastSuccessAt = lastSuccessAt
        self.lastHTTPStatus = lastHTTPStatus
        self.lastError = lastError
        self.failingSince = failingSince
        self.consecutiveFailures = consecutiveFailures
        self.nextDueAt = nextDueAt
        self.articleCount = articleCount
        self.contentChangedAt = contentChangedAt
    }
}

/// One page of a longer list, with the length of the whole list (for "page 2 of 34").
public struct Paged<Item: Sendable>: Sendable {
    public var items: [Item]
    /// How many items the whole list holds.
    public var total: Int

    public init(items: [Item], total: Int) {
        self.items = items
        self.total = total
    }
}

extension Paged: Equatable where Item: Equatable {}

/// The catalog's health in numbers, for the status page's summary line.
public struct CatalogSummary: Sendable, Equatable {
    /// Active publications.
    public var total: Int
    /// Whose latest fetch failed.
    public var failing: Int
    /// Never fetched successfully and not failing: waiting for their first fetch.
    public var waiting: Int
    /// The oldest of the publications' latest successful fetches: how stale the stalest one is.
    public var oldestSuccessAt: Date?
    /// Whose latest fetch succeeded.
    public var ok: Int { total - failing - waiting }

    public init(total: Int, failing: Int, waiting: Int, oldestSuccessAt: Date?) {
        self.total = total
        self.failing = failing
        self.waiting = waiting
        self.oldestSuccessAt = oldestSuccessAt
    }
}

/// What one successful fetch changed. `inserted + updated + unchanged` is the number of distinct articles in the fetch.
public struct UpsertSummary: Sendable, Equatable {
    public var inserted: Int
    public var updated: Int
    public var unchanged: Int

    public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
    }
}

extension PublicationRecord {
    /// Every publication query starts here (the article count is a column, kept up to date by triggers).
    static let selectSQL = "SELECT p.* FROM publications p"

    init(row: Row) {
        id = row["id"]
        name = row["name"]
        url = row["url"]
        refreshMinutes = row["refreshMinutes"]
        position = row["position"]
        active = row["active"]
        etag = row["etag"]
        lastModified = row["lastModified"]
        lastFetchAttemptAt = row.optionalDate("lastFetchAttemptAt")
        lastSuccessAt = row.optionalDate("lastSuccessAt")
        lastHTTPStatus = row["lastHTTPStatus"]
        lastError = row["lastError"]
        failingSince = row.optionalDate("failingSince")
        consecutiveFailures = row["consecutiveFailures"]
        nextDueAt = row.date("nextDueAt")
        articleCount = row["articleCount"]
        contentChangedAt = row.optionalDate("contentChangedAt")
    }

    static func fetchOne(_ db: Database, id: String) throws -> PublicationRecord? {
        try Row.fetchOne(db, sql: selectSQL + " WHERE p.id = ?", arguments: [id]).map(PublicationRecord.init(row:))
    }

    static func fetchExisting(_ db: Database, id: String) throws -> PublicationRecord {
        guard let record = try fetchOne(db, id: id) else { throw StorageError.unknownPublication(id: id) }
        return record
    }
}

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
    /// Stored articles of this publication, counted at read time.
    public var articleCount: Int
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
    /// Columns plus the computed article count, for every publication query.
    static let selectSQL = """
        SELECT p.*, (SELECT COUNT(*) FROM articles a WHERE a.publicationID = p.id) AS articleCount
        FROM publications p
        """

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
    }

    static func fetchOne(_ db: Database, id: String) throws -> PublicationRecord? {
        try Row.fetchOne(db, sql: selectSQL + " WHERE p.id = ?", arguments: [id]).map(PublicationRecord.init(row:))
    }

    static func fetchExisting(_ db: Database, id: String) throws -> PublicationRecord {
        guard let record = try fetchOne(db, id: id) else { throw StorageError.unknownPublication(id: id) }
        return record
    }
}

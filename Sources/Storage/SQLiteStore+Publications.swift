import Foundation
internal import GRDB

extension SQLiteStore {
    /// Makes the stored publications match the catalog, in one transaction.
    ///
    /// New ids are inserted and due at `now`; name, refresh interval and position follow the catalog;
    /// a changed url drops the validators (ETag, Last-Modified) and makes the publication due at `now`;
    /// ids missing from the catalog become inactive (articles kept); ids that come back become active and due.
    /// - Returns: the ids that became active: new ones and re-added ones, in catalog order.
    @discardableResult
    public func syncCatalog(_ configs: [PublicationConfig], now: Date) async throws(StorageError) -> [String] {
        var seen = Set<String>()
        for config in configs where !seen.insert(config.id).inserted {
            throw .duplicatePublicationID(config.id)
        }
        return try await write("syncing the catalog") { db in
            var activated: [String] = []
            for (position, config) in configs.enumerated() {
                guard let existing = try Row.fetchOne(db, sql: "SELECT url, active FROM publications WHERE id = ?", arguments: [config.id]) else {
                    try db.execute(sql: """
                        INSERT INTO publications (id, name, url, refreshMinutes, position, active, consecutiveFailures, nextDueAt)
                        VALUES (?, ?, ?, ?, ?, 1, 0, ?)
                        """, arguments: [config.id, config.name, config.url, config.refreshMinutes, position, now.databaseSeconds])
                    activated.append(config.id)
                    continue
                }
                let wasActive: Bool = existing["active"]
                if !wasActive { activated.append(config.id) }
                try db.execute(sql: """
                    UPDATE publications SET name = ?, refreshMinutes = ?, position = ?, active = 1 WHERE id = ?
                    """, arguments: [config.name, config.refreshMinutes, position, config.id])
                if (existing["url"] as String) != config.url {
                    try db.execute(sql: """
                        UPDATE publications SET url = ?, etag = NULL, lastModified = NULL, nextDueAt = ? WHERE id = ?
                        """, arguments: [config.url, now.databaseSeconds, config.id])
                } else if !wasActive {
                    try db.execute(sql: "UPDATE publications SET nextDueAt = min(nextDueAt, ?) WHERE id = ?",
                                   arguments: [now.databaseSeconds, config.id])
                }
            }
            let ids = configs.map(\.id)
            try db.execute(literal: "UPDATE publications SET active = 0 WHERE active = 1 AND id NOT IN \(ids)")
            return activated
        }
    }

    /// Active publications in catalog order.
    public func publications() async throws(StorageError) -> [PublicationRecord] {
        try await read("listing publications") { db in
            try Row.fetchAll(db, sql: PublicationRecord.selectSQL + " WHERE p.active = 1 ORDER BY p.position, p.id")
                .map(PublicationRecord.init(row:))
        }
    }

    /// A slice of the active publications in catalog order, with how many there are (one snapshot).
    public func publications(offset: Int, limit: Int) async throws(StorageError) -> Paged<PublicationRecord> {
        try await read("listing publications") { db in
            let items = try Row.fetchAll(db, sql: PublicationRecord.selectSQL + " WHERE p.active = 1 ORDER BY p.position, p.id LIMIT ? OFFSET ?",
                                         arguments: [max(0, limit), max(0, offset)])
                .map(PublicationRecord.init(row:))
            return Paged(items: items, total: try Self.activeCount(db))
        }
    }

    /// A slice of the active publications as the status page lists them: those whose latest fetch failed first,
    /// then the rest, each group in catalog order.
    public func publicationsFailingFirst(offset: Int, limit: Int) async throws(StorageError) -> Paged<PublicationRecord> {
        try await read("listing publications by status") { db in
            let items = try Row.fetchAll(db, sql: PublicationRecord.selectSQL + """
                 WHERE p.active = 1 ORDER BY p.lastError IS NULL, p.position, p.id LIMIT ? OFFSET ?
                """, arguments: [max(0, limit), max(0, offset)])
                .map(PublicationRecord.init(row:))
            return Paged(items: items, total: try Self.activeCount(db))
        }
    }

    /// The active publications' health in numbers: counted over the publications table alone (no article is read).
    public func catalogSummary() async throws(StorageError) -> CatalogSummary {
        try await read("summarizing the catalog") { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS total, coalesce(sum(lastError IS NOT NULL), 0) AS failing,
                    coalesce(sum(lastError IS NULL AND lastSuccessAt IS NULL), 0) AS waiting, min(lastSuccessAt) AS oldestSuccessAt
                FROM publications WHERE active = 1
                """)
            guard let row else { return CatalogSummary(total: 0, failing: 0, waiting: 0, oldestSuccessAt: nil) }
            return CatalogSummary(total: row["total"], failing: row["failing"], waiting: row["waiting"],
                                  oldestSuccessAt: row.optionalDate("oldestSuccessAt"))
        }
    }

    static func activeCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM publications WHERE active = 1") ?? 0
    }

    /// The publication with exactly this id (case-sensitive), active or not; check `active` before showing it.
    public func publication(id: String) async throws(StorageError) -> PublicationRecord? {
        try await read("reading publication '\(id)'") { db in try PublicationRecord.fetchOne(db, id: id) }
    }

    /// Active publications whose `nextDueAt` is at or before `now`, most overdue first.
    public func duePublications(now: Date) async throws(StorageError) -> [PublicationRecord] {
        try await read("listing due publications") { db in
            try Row.fetchAll(db, sql: PublicationRecord.selectSQL + " WHERE p.active = 1 AND p.nextDueAt <= ? ORDER BY p.nextDueAt, p.position",
                             arguments: [now.databaseSeconds])
                .map(PublicationRecord.init(row:))
        }
    }

    /// One server per file (see `ServeLock`), so nothing else claims: the due publications, most overdue first.
    public func claimDuePublications(now: Date, leaseUntil: Date, limit: Int) async throws(StorageError) -> [PublicationRecord] {
        Array(try await duePublications(now: now).prefix(max(0, limit)))
    }

    /// Stores a successful fetch in one transaction: upserts the articles, makes them the current feed order,
    /// clears the failure state, saves the validators, then trims old articles (never one from this fetch).
    ///
    /// Articles are keyed per publication by guid, else link, else a hash of title and summary. When a key
    /// repeats within `articles`, the first occurrence wins and later ones are ignored.
    @discardableResult
    public func recordFetchSuccess(
        publicationID: String, articles: [ArticleInput], etag: String?, lastModified: String?,
        httpStatus: Int, fetchedAt: Date, nextDueAt: Date
    ) async throws(StorageError) -> UpsertSummary {
        try await write("recording a fetch of '\(publicationID)'") { db in
            _ = try PublicationRecord.fetchExisting(db, id: publicationID)
            let headlineSQL = "SELECT id FROM articles WHERE publicationID = ? AND feedPosition = 0"
            let headlineBefore = try Int64.fetchOne(db, sql: headlineSQL, arguments: [publicationID])
            let summary = try ArticleUpsert.apply(db, publicationID: publicationID, articles: articles, fetchedAt: fetchedAt)
            let headlineAfter = try Int64.fetchOne(db, sql: headlineSQL, arguments: [publicationID])
            let changed = summary.inserted + summary.updated > 0 || headlineBefore != headlineAfter
            try db.execute(sql: """
                UPDATE publications SET etag = ?, lastModified = ?, lastFetchAttemptAt = ?, lastSuccessAt = ?, lastHTTPStatus = ?,
                    lastError = NULL, failingSince = NULL, consecutiveFailures = 0, nextDueAt = ?,
                    contentChangedAt = CASE WHEN ? THEN ? ELSE contentChangedAt END
                WHERE id = ?
                """, arguments: [etag, lastModified, fetchedAt.databaseSeconds, fetchedAt.databaseSeconds, httpStatus,
                                 nextDueAt.databaseSeconds, changed, fetchedAt.databaseSeconds, publicationID])
            try ArticleUpsert.applyRetention(db, publicationID: publicationID, keep: StoreLimits.articleRetention)
            return summary
        }
    }

    /// Records a 304 Not Modified: a success that changes no article and keeps the validators.
    @discardableResult
    public func recordNotModified(publicationID: String, httpStatus: Int, fetchedAt: Date, nextDueAt: Date) async throws(StorageError) -> PublicationRecord {
        try await write("recording a not-modified fetch of '\(publicationID)'") { db in
            _ = try PublicationRecord.fetchExisting(db, id: publicationID)
            try db.execute(sql: """
                UPDATE publications SET lastFetchAttemptAt = ?, lastSuccessAt = ?, lastHTTPStatus = ?,
                    lastError = NULL, failingSince = NULL, consecutiveFailures = 0, nextDueAt = ?
                WHERE id = ?
                """, arguments: [fetchedAt.databaseSeconds, fetchedAt.databaseSeconds, httpStatus, nextDueAt.databaseSeconds, publicationID])
            return try PublicationRecord.fetchExisting(db, id: publicationID)
        }
    }

    /// Records a failed fetch; the articles and the current headline stay as they were.
    /// - Parameter httpStatus: nil when no HTTP response arrived (DNS, timeout, TLS…).
    @discardableResult
    public func recordFetchFailure(publicationID: String, error: String, httpStatus: Int?, at: Date, nextDueAt: Date) async throws(StorageError) -> PublicationRecord {
        try await write("recording a failed fetch of '\(publicationID)'") { db in
            _ = try PublicationRecord.fetchExisting(db, id: publicationID)
            try db.execute(sql: """
                UPDATE publications SET lastFetchAttemptAt = ?, lastHTTPStatus = ?, lastError = ?,
                    failingSince = coalesce(failingSince, ?), consecutiveFailures = consecutiveFailures + 1, nextDueAt = ?
                WHERE id = ?
                """, arguments: [at.databaseSeconds, httpStatus, error, at.databaseSeconds, nextDueAt.databaseSeconds, publicationID])
            return try PublicationRecord.fetchExisting(db, id: publicationID)
        }
    }
}

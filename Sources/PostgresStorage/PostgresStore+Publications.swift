import Foundation
import PostgresNIO
import Storage

extension PostgresStore {
    /// The advisory lock `syncCatalog` holds for its transaction ("catalog!" as a bigint): two instances starting
    /// at once with the same new catalog would otherwise both insert the new publications, and one would fail.
    static let catalogLockKey: Int64 = 0x6361_7461_6C6F_6721

    /// Makes the stored publications match the catalog, in one transaction, as SQLite does: new ids are inserted and
    /// due at `now`; name, refresh interval and position follow the catalog; a changed url drops the validators and
    /// makes the publication due at `now`; ids missing from the catalog become inactive (articles kept); ids that
    /// come back become active and due. Rows that already match are not written, so a repeated sync writes nothing.
    /// - Returns: the ids that became active: new ones and re-added ones, in catalog order.
    @discardableResult
    public func syncCatalog(_ configs: [PublicationConfig], now: Date) async throws(StorageError) -> [String] {
        var seen = Set<String>()
        for config in configs where !seen.insert(config.id).inserted {
            throw .duplicatePublicationID(config.id)
        }
        return try await run("syncing the catalog", .write) { connection in
            try await connection.execute("SELECT pg_advisory_xact_lock(\(Self.catalogLockKey))")
            // Every row locked, in id order, as `applyArticleRetention` does: two writers of many publications
            // never wait for each other in a circle.
            var stored: [String: (name: String, url: String, refreshMinutes: Int, position: Int, active: Bool)] = [:]
            for row in try await connection.rows("""
                SELECT id, name, url, refreshMinutes, position, active FROM publications ORDER BY id FOR UPDATE
                """) {
                var reader = RowReader(row)
                let id: String = try reader.next()
                stored[id] = (try reader.next(), try reader.next(), try reader.next(), try reader.next(), try reader.next())
            }
            var activated: [String] = []
            for (position, config) in configs.enumerated() {
                guard let existing = stored[config.id] else {
                    try await connection.execute("""
                        INSERT INTO publications (id, name, url, refreshMinutes, position, active, consecutiveFailures, nextDueAt)
                        VALUES (\(config.id), \(config.name), \(config.url), \(config.refreshMinutes), \(position), true, 0, \(now.seconds))
                        """)
                    activated.append(config.id)
                    continue
                }
                if !existing.active { activated.append(config.id) }
                if existing.url != config.url {
                    try await connection.execute("""
                        UPDATE publications SET name = \(config.name), refreshMinutes = \(config.refreshMinutes), position = \(position),
                            active = true, url = \(config.url), etag = NULL, lastModified = NULL, nextDueAt = \(now.seconds)
                        WHERE id = \(config.id)
                        """)
                } else if !existing.active {
                    try await connection.execute("""
                        UPDATE publications SET name = \(config.name), refreshMinutes = \(config.refreshMinutes), position = \(position),
                            active = true, nextDueAt = least(nextDueAt, \(now.seconds))
                        WHERE id = \(config.id)
                        """)
                } else if existing.name != config.name || existing.refreshMinutes != config.refreshMinutes || existing.position != position {
                    try await connection.execute("""
                        UPDATE publications SET name = \(config.name), refreshMinutes = \(config.refreshMinutes), position = \(position)
                        WHERE id = \(config.id)
                        """)
                }
            }
            let ids = configs.map(\.id)
            try await connection.execute("UPDATE publications SET active = false WHERE active AND NOT (id = ANY(\(ids)))")
            return activated
        }
    }

    /// Active publications in catalog order.
    public func publications() async throws(StorageError) -> [PublicationRecord] {
        try await run("listing publications") { connection in
            try await connection.rows("""
                SELECT \(unescaped: Columns.publication) FROM publications p WHERE p.active ORDER BY p.position, p.id
                """).map(PublicationRecord.init(row:))
        }
    }

    /// A slice of the active publications in catalog order, with how many there are (one statement, one snapshot).
    public func publications(offset: Int, limit: Int) async throws(StorageError) -> Paged<PublicationRecord> {
        try await run("listing publications") { connection in
            try await Self.pagedPublications(connection, order: "p.position, p.id", offset: offset, limit: limit)
        }
    }

    /// A slice of the active publications as the status page lists them: those whose latest fetch failed first,
    /// then the rest, each group in catalog order.
    public func publicationsFailingFirst(offset: Int, limit: Int) async throws(StorageError) -> Paged<PublicationRecord> {
        try await run("listing publications by status") { connection in
            try await Self.pagedPublications(connection, order: "p.lastError IS NULL, p.position, p.id", offset: offset, limit: limit)
        }
    }

    /// One slice in `order` (constant SQL) with the total counted by the same statement; only an empty slice needs
    /// a second statement for the total.
    private static func pagedPublications(_ connection: Connection, order: String, offset: Int, limit: Int) async throws -> Paged<PublicationRecord> {
        let rows = try await connection.rows("""
            SELECT \(unescaped: Columns.publication), count(*) OVER () FROM publications p WHERE p.active
            ORDER BY \(unescaped: order) LIMIT \(max(0, limit)) OFFSET \(max(0, offset))
            """)
        guard !rows.isEmpty else { return Paged(items: [], total: try await activeCount(connection)) }
        var total = 0
        let items = try rows.map { row in
            var reader = RowReader(row)
            let publication = try PublicationRecord(&reader)
            total = try reader.next()
            return publication
        }
        return Paged(items: items, total: total)
    }

    static func activeCount(_ connection: Connection) async throws -> Int {
        try await connection.integer("SELECT count(*) FROM publications WHERE active")
    }

    /// The active publications' health in numbers: counted over the publications table alone.
    public func catalogSummary() async throws(StorageError) -> CatalogSummary {
        try await run("summarizing the catalog") { connection in
            guard let row = try await connection.rows("""
                SELECT count(*), count(*) FILTER (WHERE lastError IS NOT NULL),
                    count(*) FILTER (WHERE lastError IS NULL AND lastSuccessAt IS NULL), min(lastSuccessAt)
                FROM publications WHERE active
                """).first else { return CatalogSummary(total: 0, failing: 0, waiting: 0, oldestSuccessAt: nil) }
            var reader = RowReader(row)
            return CatalogSummary(total: try reader.next(), failing: try reader.next(), waiting: try reader.next(),
                                  oldestSuccessAt: try reader.optionalDate())
        }
    }

    /// The publication with exactly this id (byte for byte), active or not; check `active` before showing it.
    public func publication(id: String) async throws(StorageError) -> PublicationRecord? {
        try await run("reading publication '\(id)'") { connection in
            try await Self.publication(connection, id: id)
        }
    }

    static func publication(_ connection: Connection, id: String) async throws -> PublicationRecord? {
        try await connection.rows("SELECT \(unescaped: Columns.publication) FROM publications p WHERE p.id = \(id)")
            .first.map(PublicationRecord.init(row:))
    }

    /// Active publications whose `nextDueAt` is at or before `now`, most overdue first. Leases are not looked at:
    /// this is what is due, not what is free to fetch (`claimDuePublications`).
    public func duePublications(now: Date) async throws(StorageError) -> [PublicationRecord] {
        try await run("listing due publications") { connection in
            try await connection.rows("""
                SELECT \(unescaped: Columns.publication) FROM publications p
                WHERE p.active AND p.nextDueAt <= \(now.seconds) ORDER BY p.nextDueAt, p.position
                """).map(PublicationRecord.init(row:))
        }
    }

    /// Takes up to `limit` due publications whose lease is free or has run out, and leases them until `leaseUntil`,
    /// in one statement: rows another instance is claiming right now are skipped (`SKIP LOCKED`), and a row it
    /// claimed a moment ago no longer qualifies when re-checked under the lock, so two instances never get the same
    /// publication. Most overdue first; a negative `limit` counts as 0.
    public func claimDuePublications(now: Date, leaseUntil: Date, limit: Int) async throws(StorageError) -> [PublicationRecord] {
        try await run("claiming due publications") { connection in
            try await connection.rows("""
                WITH due AS (
                    SELECT id FROM publications
                    WHERE active AND nextDueAt <= \(now.seconds) AND (leaseUntil IS NULL OR leaseUntil <= \(now.seconds))
                    ORDER BY nextDueAt, position LIMIT \(max(0, limit))
                    FOR UPDATE SKIP LOCKED
                ), claimed AS (
                    UPDATE publications SET leaseUntil = \(leaseUntil.seconds) FROM due WHERE publications.id = due.id
                    RETURNING publications.*
                )
                SELECT \(unescaped: Columns.publication) FROM claimed p ORDER BY p.nextDueAt, p.position, p.id
                """).map(PublicationRecord.init(row:))
        }
    }

    /// Stores a successful fetch in one transaction: upserts the articles (see `PostgresArticleUpsert`), makes them
    /// the current feed order, clears the failure state and the lease, saves the validators, then trims old
    /// articles (never one from this fetch).
    @discardableResult
    public func recordFetchSuccess(
        publicationID: String, articles: [ArticleInput], etag: String?, lastModified: String?,
        httpStatus: Int, fetchedAt: Date, nextDueAt: Date
    ) async throws(StorageError) -> UpsertSummary {
        let planned = FetchedArticle.plan(articles)
        return try await run("recording a fetch of '\(publicationID)'", .write) { connection in
            let upsert = try await PostgresArticleUpsert.apply(connection, publicationID: publicationID, articles: planned, fetchedAt: fetchedAt)
            try await connection.execute("""
                UPDATE publications SET etag = \(etag), lastModified = \(lastModified), lastFetchAttemptAt = \(fetchedAt.seconds),
                    lastSuccessAt = \(fetchedAt.seconds), lastHTTPStatus = \(httpStatus), lastError = NULL, failingSince = NULL,
                    consecutiveFailures = 0, nextDueAt = \(nextDueAt.seconds), leaseUntil = NULL,
                    contentChangedAt = CASE WHEN \(upsert.contentChanged) THEN \(fetchedAt.seconds) ELSE contentChangedAt END
                WHERE id = \(publicationID)
                """)
            try await PostgresArticleUpsert.applyRetention(connection, publicationID: publicationID, keep: StoreLimits.articleRetention)
            return upsert.summary
        }
    }

    /// Records a 304 Not Modified: a success that changes no article and keeps the validators; ends the lease.
    @discardableResult
    public func recordNotModified(publicationID: String, httpStatus: Int, fetchedAt: Date, nextDueAt: Date) async throws(StorageError) -> PublicationRecord {
        try await run("recording a not-modified fetch of '\(publicationID)'") { connection in
            guard let row = try await connection.rows("""
                UPDATE publications p SET lastFetchAttemptAt = \(fetchedAt.seconds), lastSuccessAt = \(fetchedAt.seconds),
                    lastHTTPStatus = \(httpStatus), lastError = NULL, failingSince = NULL, consecutiveFailures = 0,
                    nextDueAt = \(nextDueAt.seconds), leaseUntil = NULL
                WHERE p.id = \(publicationID)
                RETURNING \(unescaped: Columns.publication)
                """).first else { throw StorageError.unknownPublication(id: publicationID) }
            return try PublicationRecord(row: row)
        }
    }

    /// Records a failed fetch; the articles and the current headline stay as they were; ends the lease.
    /// - Parameter httpStatus: nil when no HTTP response arrived (DNS, timeout, TLS…).
    @discardableResult
    public func recordFetchFailure(publicationID: String, error: String, httpStatus: Int?, at: Date, nextDueAt: Date) async throws(StorageError) -> PublicationRecord {
        try await run("recording a failed fetch of '\(publicationID)'") { connection in
            guard let row = try await connection.rows("""
                UPDATE publications p SET lastFetchAttemptAt = \(at.seconds), lastHTTPStatus = \(httpStatus), lastError = \(error),
                    failingSince = coalesce(p.failingSince, \(at.seconds)), consecutiveFailures = p.consecutiveFailures + 1,
                    nextDueAt = \(nextDueAt.seconds), leaseUntil = NULL
                WHERE p.id = \(publicationID)
                RETURNING \(unescaped: Columns.publication)
                """).first else { throw StorageError.unknownPublication(id: publicationID) }
            return try PublicationRecord(row: row)
        }
    }
}

import Foundation
import PostgresNIO
import Storage

extension PostgresStore {
    /// The first item of the publication's latest successful fetch, or nil before any.
    public func currentHeadline(of publicationID: String) async throws(StorageError) -> ArticleRecord? {
        try await run("reading the headline of '\(publicationID)'") { connection in
            try await connection.rows("""
                SELECT \(unescaped: Columns.article) FROM articles a
                WHERE a.publicationID = \(publicationID) AND a.feedPosition = 0 ORDER BY a.id LIMIT 1
                """).first.map(ArticleRecord.init(row:))
        }
    }

    /// The publication's newest articles: by publication date (first-seen time when undated), newest first, then in
    /// feed order (articles not in the latest fetch last, as SQLite's NULLS LAST), then newest id. A negative
    /// `limit` counts as 0.
    public func recentArticles(of publicationID: String, limit: Int) async throws(StorageError) -> [ArticleRecord] {
        try await run("listing articles of '\(publicationID)'") { connection in
            try await connection.rows("""
                SELECT \(unescaped: Columns.article) FROM articles a WHERE a.publicationID = \(publicationID)
                ORDER BY coalesce(a.published, a.firstSeenAt) DESC, a.feedPosition ASC NULLS LAST, a.id DESC
                LIMIT \(max(0, limit))
                """).map(ArticleRecord.init(row:))
        }
    }

    /// How many articles the store holds for the publication (0 for an unknown one): the count kept in its row.
    public func articleCount(of publicationID: String) async throws(StorageError) -> Int {
        try await run("counting articles of '\(publicationID)'") { connection in
            try await connection.integer("SELECT articleCount FROM publications WHERE id = \(publicationID)")
        }
    }

    /// Every active publication, in catalog order, with its current headline: one statement, one snapshot.
    public func headlines() async throws(StorageError) -> [PublicationHeadline] {
        try await run("reading headlines") { connection in
            let rows = try await connection.rows("""
                SELECT \(unescaped: Columns.publication), \(unescaped: Columns.article)
                FROM publications p LEFT JOIN articles a ON a.publicationID = p.id AND a.feedPosition = 0
                WHERE p.active ORDER BY p.position, p.id, a.id
                """)
            return try Self.headlines(rows, columnsBeforeArticle: 0).items
        }
    }

    /// A slice of the active publications as the home page lists them, each with its current headline: those whose
    /// articles changed most recently first (never-changed ones after), those whose latest fetch failed at the end;
    /// ties in catalog order. One statement: the slice with its total, joined with the slice's headlines.
    public func headlines(offset: Int, limit: Int) async throws(StorageError) -> Paged<PublicationHeadline> {
        try await run("reading headlines") { connection in
            let rows = try await connection.rows("""
                SELECT \(unescaped: Columns.publication), p.total, \(unescaped: Columns.article)
                FROM (
                    SELECT p.*, count(*) OVER () AS total FROM publications p WHERE p.active
                    ORDER BY p.lastError IS NOT NULL, p.contentChangedAt DESC NULLS LAST, p.position, p.id
                    LIMIT \(max(0, limit)) OFFSET \(max(0, offset))
                ) p LEFT JOIN articles a ON a.publicationID = p.id AND a.feedPosition = 0
                ORDER BY p.lastError IS NOT NULL, p.contentChangedAt DESC NULLS LAST, p.position, p.id, a.id
                """)
            guard !rows.isEmpty else { return Paged(items: [], total: try await Self.activeCount(connection)) }
            return try Self.headlines(rows, columnsBeforeArticle: 1)
        }
    }

    /// Reads rows of publication columns, `columnsBeforeArticle` more (the total, when there is one), then article
    /// columns (all NULL without a headline). Should a publication have two articles at position 0, the first wins.
    private static func headlines(_ rows: [PostgresRow], columnsBeforeArticle: Int) throws -> Paged<PublicationHeadline> {
        var items: [PublicationHeadline] = []
        var total = 0
        for row in rows {
            var reader = RowReader(row)
            let publication = try PublicationRecord(&reader)
            if columnsBeforeArticle == 1 { total = try reader.next() }
            if let last = items.last, last.publication.id == publication.id { continue }
            let headline = reader.nextIsNull ? nil : try ArticleRecord(&reader)
            items.append(PublicationHeadline(publication: publication, headline: headline))
        }
        return Paged(items: items, total: columnsBeforeArticle == 1 ? total : items.count)
    }
}

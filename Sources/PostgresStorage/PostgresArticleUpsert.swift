import Foundation
import PostgresNIO
import Storage

/// The article half of `recordFetchSuccess`, inside its transaction. What to store is decided by `FetchedArticle.plan`,
/// shared with SQLite; this only writes it, in a handful of statements whatever the fetch's size: the stored
/// versions of the fetch's keys in one read, new articles in multi-row inserts (ids in feed order, as SQLite
/// assigns them), unchanged ones repositioned in one update, changed ones one by one.
enum PostgresArticleUpsert {
    struct Outcome: Sendable {
        var summary: UpsertSummary
        /// New or changed articles, or a new headline: the publication's `contentChangedAt` moves.
        var contentChanged: Bool
    }

    /// Rows per multi-row insert: 11 parameters each, well under the protocol's 65 535.
    static let insertBatch = 500

    static func apply(_ connection: Connection, publicationID: String, articles: [FetchedArticle], fetchedAt: Date) async throws -> Outcome {
        // The publication's row, locked for the transaction: fetches of one publication take turns, and every
        // writer of many publications locks theirs first (see `syncCatalog`), so nobody waits in a circle.
        guard let row = try await connection.rows("""
            SELECT (SELECT a.id FROM articles a WHERE a.publicationID = p.id AND a.feedPosition = 0 ORDER BY a.id LIMIT 1)
            FROM publications p WHERE p.id = \(publicationID) FOR UPDATE OF p
            """).first else { throw StorageError.unknownPublication(id: publicationID) }
        var reader = RowReader(row)
        let headlineBefore = try reader.next(Int64?.self)

        // The previous fetch's order no longer holds; this fetch sets positions anew.
        try await connection.execute("""
            UPDATE articles SET feedPosition = NULL WHERE publicationID = \(publicationID) AND feedPosition IS NOT NULL
            """)
        let stored = try await storedContent(connection, publicationID: publicationID, keys: articles.map(\.dedupeKey))

        var summary = UpsertSummary()
        var new: [FetchedArticle] = []
        var unchanged: (ids: [Int64], positions: [Int]) = ([], [])
        for article in articles {
            guard let existing = stored[article.dedupeKey] else {
                new.append(article)
                continue
            }
            if existing.content == article.content {
                unchanged.ids.append(existing.id)
                unchanged.positions.append(article.feedPosition)
                summary.unchanged += 1
            } else {
                let content = article.content
                try await connection.execute("""
                    UPDATE articles SET title = \(content.title), link = \(content.link), summary = \(content.summary),
                        author = \(content.author), published = \(content.published), updated = \(content.updated),
                        thumbnail = \(content.thumbnail), feedPosition = \(article.feedPosition)
                    WHERE id = \(existing.id)
                    """)
                summary.updated += 1
            }
        }
        if !unchanged.ids.isEmpty {
            try await connection.execute("""
                UPDATE articles SET feedPosition = moved.position
                FROM unnest(\(unchanged.ids), \(unchanged.positions)) AS moved(id, position)
                WHERE articles.id = moved.id
                """)
        }
        for start in stride(from: 0, to: new.count, by: insertBatch) {
            try await insert(connection, publicationID: publicationID, new[start..<min(start + insertBatch, new.count)], fetchedAt: fetchedAt)
        }
        summary.inserted = new.count

        // Without new articles the headline is a stored one (or none), so no query is needed to compare it.
        let headlineAfter = articles.first.flatMap { stored[$0.dedupeKey]?.id }
        let changed = summary.inserted + summary.updated > 0 || headlineBefore != headlineAfter
        return Outcome(summary: summary, contentChanged: changed)
    }

    /// The stored id and content of each of `keys` that the publication already has.
    private static func storedContent(_ connection: Connection, publicationID: String, keys: [String]) async throws -> [String: (id: Int64, content: ArticleContent)] {
        guard !keys.isEmpty else { return [:] }
        var stored: [String: (id: Int64, content: ArticleContent)] = [:]
        for row in try await connection.rows("""
            SELECT id, dedupeKey, title, link, summary, author, published, updated, thumbnail FROM articles
            WHERE publicationID = \(publicationID) AND dedupeKey = ANY(\(keys))
            """) {
            var reader = RowReader(row)
            let id: Int64 = try reader.next()
            let key: String = try reader.next()
            stored[key] = (id, ArticleContent(title: try reader.next(), link: try reader.next(), summary: try reader.next(),
                                              author: try reader.next(), published: try reader.next(), updated: try reader.next(),
                                              thumbnail: try reader.next()))
        }
        return stored
    }

    /// One multi-row insert; PostgreSQL evaluates the rows in order, so ids grow in feed order.
    private static func insert(_ connection: Connection, publicationID: String, _ articles: ArraySlice<FetchedArticle>, fetchedAt: Date) async throws {
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 200 + articles.count * 60, interpolationCount: articles.count * 11)
        sql.appendLiteral("""
            INSERT INTO articles (publicationID, dedupeKey, title, link, summary, author, published, updated, thumbnail, feedPosition, firstSeenAt)
            VALUES
            """)
        for (index, article) in articles.enumerated() {
            let content = article.content
            sql.appendLiteral(index == 0 ? " (" : ", (")
            sql.appendInterpolation(publicationID); sql.appendLiteral(", ")
            sql.appendInterpolation(article.dedupeKey); sql.appendLiteral(", ")
            sql.appendInterpolation(content.title); sql.appendLiteral(", ")
            sql.appendInterpolation(content.link); sql.appendLiteral(", ")
            sql.appendInterpolation(content.summary); sql.appendLiteral(", ")
            sql.appendInterpolation(content.author); sql.appendLiteral(", ")
            sql.appendInterpolation(content.published); sql.appendLiteral(", ")
            sql.appendInterpolation(content.updated); sql.appendLiteral(", ")
            sql.appendInterpolation(content.thumbnail); sql.appendLiteral(", ")
            sql.appendInterpolation(article.feedPosition); sql.appendLiteral(", ")
            sql.appendInterpolation(fetchedAt.seconds); sql.appendLiteral(")")
        }
        try await connection.execute(PostgresQuery(stringInterpolation: sql))
    }

    /// Keeps the newest `keep` articles of a publication (by publication date, else first-seen time; then the newest
    /// id), plus every article of the latest fetch. A negative `keep` keeps everything, as SQLite's `LIMIT -1` does.
    static func applyRetention(_ connection: Connection, publicationID: String, keep: Int) async throws {
        guard keep >= 0 else { return }
        try await connection.execute("""
            DELETE FROM articles
            WHERE publicationID = \(publicationID) AND feedPosition IS NULL AND id NOT IN (
                SELECT id FROM articles WHERE publicationID = \(publicationID)
                ORDER BY coalesce(published, firstSeenAt) DESC, id DESC LIMIT \(keep))
            """)
    }
}

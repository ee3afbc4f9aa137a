import Foundation
import PostgresNIO
import Storage

extension PostgresStore {
    /// Trims every publication's articles to `keep`, active or not, never touching an article of a publication's
    /// latest fetch; a negative `keep` trims nothing. Each fetch trims its own publication already; this catches the
    /// publications that no longer fetch and a limit lowered since they last did. Returns how many articles went.
    ///
    /// Every publication row is locked first, in id order: the trigger keeping the counts updates those rows, and
    /// a fetch locks its publication before its articles, so taking the articles first could wait in a circle.
    @discardableResult
    public func applyArticleRetention(keep: Int) async throws(StorageError) -> Int {
        try await run("trimming old articles", .write) { connection in
            guard keep >= 0 else { return 0 }
            try await connection.execute("SELECT id FROM publications ORDER BY id FOR UPDATE")
            return try await connection.integer("""
                WITH ranked AS (
                    SELECT id, feedPosition, row_number() OVER (
                        PARTITION BY publicationID ORDER BY coalesce(published, firstSeenAt) DESC, id DESC) AS rank
                    FROM articles
                ), gone AS (
                    DELETE FROM articles USING ranked
                    WHERE articles.id = ranked.id AND ranked.feedPosition IS NULL AND ranked.rank > \(keep)
                    RETURNING 1
                )
                SELECT count(*) FROM gone
                """)
        }
    }

    /// `ANALYZE`: refreshes the statistics the query planner uses. Autovacuum does this too, on its own schedule;
    /// housekeeping runs it after trimming, as `PRAGMA optimize` on SQLite.
    public func optimize() async throws(StorageError) {
        try await run("optimizing the database") { connection in try await connection.execute("ANALYZE") }
    }
}

import Foundation
internal import GRDB

/// The article half of `recordFetchSuccess`, run inside its write transaction.
enum ArticleUpsert {
    static func apply(_ db: Database, publicationID: String, articles: [ArticleInput], fetchedAt: Date) throws -> UpsertSummary {
        // The previous fetch's order no longer holds; this fetch sets positions anew.
        try db.execute(sql: "UPDATE articles SET feedPosition = NULL WHERE publicationID = ? AND feedPosition IS NOT NULL",
                       arguments: [publicationID])
        var summary = UpsertSummary()
        for article in FetchedArticle.plan(articles) {
            let key = article.dedupeKey, position = article.feedPosition, content = article.content
            let existing = try Row.fetchOne(db, sql: """
                SELECT id, title, link, summary, author, published, updated, thumbnail FROM articles
                WHERE publicationID = ? AND dedupeKey = ?
                """, arguments: [publicationID, key])
            guard let existing else {
                try db.execute(sql: """
                    INSERT INTO articles (publicationID, dedupeKey, title, link, summary, author, published, updated, thumbnail, feedPosition, firstSeenAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [publicationID, key, content.title, content.link, content.summary, content.author,
                                     content.published, content.updated, content.thumbnail, position, fetchedAt.databaseSeconds])
                summary.inserted += 1
                continue
            }
            let id: Int64 = existing["id"]
            if ArticleContent(row: existing) == content {
                try db.execute(sql: "UPDATE articles SET feedPosition = ? WHERE id = ?", arguments: [position, id])
                summary.unchanged += 1
            } else {
                try db.execute(sql: """
                    UPDATE articles SET title = ?, link = ?, summary = ?, author = ?, published = ?, updated = ?, thumbnail = ?, feedPosition = ?
                    WHERE id = ?
                    """, arguments: [content.title, content.link, content.summary, content.author, content.published,
                                     content.updated, content.thumbnail, position, id])
                summary.updated += 1
            }
        }
        return summary
    }

    /// Keeps the newest `keep` articles of a publication, plus every article of the latest fetch.
    static func applyRetention(_ db: Database, publicationID: String, keep: Int) throws {
        try db.execute(sql: """
            DELETE FROM articles
            WHERE publicationID = ? AND feedPosition IS NULL AND id NOT IN (
                SELECT id FROM articles WHERE publicationID = ?
                ORDER BY coalesce(published, firstSeenAt) DESC, id DESC LIMIT ?)
            """, arguments: [publicationID, publicationID, keep])
    }
}

extension ArticleContent {
    fileprivate init(row: Row) {
        self.init(title: row["title"], link: row["link"], summary: row["summary"], author: row["author"],
                  published: row["published"], updated: row["updated"], thumbnail: row["thumbnail"])
    }
}

import Foundation
internal import GRDB

extension SQLiteStore {
    /// The first item of the publication's latest successful fetch, or nil before any.
    public func currentHeadline(of publicationID: String) async throws(StorageError) -> ArticleRecord? {
        try await read("reading the headline of '\(publicationID)'") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM articles WHERE publicationID = ? AND feedPosition = 0", arguments: [publicationID])
                .map(ArticleRecord.init(row:))
        }
    }

    /// The publication's newest articles: by publication date (first-seen time when undated), newest first,
    /// then in feed order. A negative `limit` counts as 0.
    public func recentArticles(of publicationID: String, limit: Int) async throws(StorageError) -> [ArticleRecord] {
        try await read("listing articles of '\(publicationID)'") { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM articles WHERE publicationID = ?
                ORDER BY coalesce(published, firstSeenAt) DESC, feedPosition ASC NULLS LAST, id DESC
                LIMIT ?
                """, arguments: [publicationID, max(0, limit)])
                .map(ArticleRecord.init(row:))
        }
    }

    /// How many articles the store holds for the publication (0 for an unknown one): the count kept in its row.
    public func articleCount(of publicationID: String) async throws(StorageError) -> Int {
        try await read("counting articles of '\(publicationID)'") { db in
            try Int.fetchOne(db, sql: "SELECT articleCount FROM publications WHERE id = ?", arguments: [publicationID]) ?? 0
        }
    }

    /// Every active publication, in catalog order, with its current headline, read from one snapshot.
    public func headlines() async throws(StorageError) -> [PublicationHeadline] {
        try await read("reading headlines") { db in
            let publications = try Row.fetchAll(db, sql: PublicationRecord.selectSQL + " WHERE p.active = 1 ORDER BY p.position, p.id")
                .map(PublicationRecord.init(row:))
            let headlines = try Row.fetchAll(db, sql: """
                SELECT a.* FROM articles a JOIN publications p ON p.id = a.publicationID
                WHERE p.active = 1 AND a.feedPosition = 0
                """).map(ArticleRecord.init(row:))
            let byPublication = Dictionary(headlines.map { ($0.publicationID, $0) }, uniquingKeysWith: { first, _ in first })
            return publications.map { PublicationHeadline(publication: $0, headline: byPublication[$0.id]) }
        }
    }

    /// A slice of the active publications as the home page lists them, each with its current headline: those
    /// whose articles changed most recently first (never-changed ones after), those whose latest fetch failed at
    /// the end; ties in catalog order. Two queries in one snapshot: the slice, then all of its headlines at once.
    public func headlines(offset: Int, limit: Int) async throws(StorageError) -> Paged<PublicationHeadline> {
        try await read("reading headlines") { db in
            let publications = try Row.fetchAll(db, sql: PublicationRecord.selectSQL + """
                 WHERE p.active = 1
                ORDER BY p.lastError IS NOT NULL, p.contentChangedAt DESC NULLS LAST, p.position, p.id
                LIMIT ? OFFSET ?
                """, arguments: [max(0, limit), max(0, offset)])
                .map(PublicationRecord.init(row:))
            let total = try Self.activeCount(db)
            guard !publications.isEmpty else { return Paged(items: [], total: total) }
            let ids = publications.map(\.id)
            let headlines = try Row.fetchAll(db, SQLRequest<Row>(literal: """
                SELECT * FROM articles WHERE feedPosition = 0 AND publicationID IN \(ids)
                """)).map(ArticleRecord.init(row:))
            let byPublication = Dictionary(headlines.map { ($0.publicationID, $0) }, uniquingKeysWith: { first, _ in first })
            return Paged(items: publications.map { PublicationHeadline(publication: $0, headline: byPublication[$0.id]) }, total: total)
        }
    }
}

import Foundation
internal import GRDB

/// One feed item as the parser produced it. Every field may be missing; the store keeps them verbatim.
public struct ArticleInput: Sendable, Equatable {
    public var guid: String?
    public var link: String?
    public var title: String?
    public var summary: String?
    public var author: String?
    public var published: Date?
    public var updated: Date?
    public var thumbnail: String?

    public init(guid: String? = nil, link: String? = nil, title: String? = nil, summary: String? = nil,
                author: String? = nil, published: Date? = nil, updated: Date? = nil, thumbnail: String? = nil) {
        self.guid = guid
        self.link = link
        self.title = title
        self.summary = summary
        self.author = author
        self.published = published
        self.updated = updated
        self.thumbnail = thumbnail
    }
}

/// A stored article.
public struct ArticleRecord: Sendable, Equatable {
    /// SQLite rowid; never reused after the article is deleted.
    public var id: Int64
    public var publicationID: String
    /// "guid:…", "link:…" or "hash:<sha256 of title and summary>": what identifies the article across fetches.
    public var dedupeKey: String
    public var title: String?
    public var link: String?
    public var summary: String?
    public var author: String?
    public var published: Date?
    public var updated: Date?
    public var thumbnail: String?
    /// Index in the latest successful fetch; nil when the article was not in it. 0 is the current headline.
    public var feedPosition: Int?
    /// When the store first saw the article (the `fetchedAt` of that fetch).
    public var firstSeenAt: Date

    /// Every field as stored: for the engines outside this module (PostgreSQL), which read rows their own way.
    package init(id: Int64, publicationID: String, dedupeKey: String, title: String?, link: String?, summary: String?,
                 author: String?, published: Date?, updated: Date?, thumbnail: String?, feedPosition: Int?, firstSeenAt: Date) {
        self.id = id
        self.publicationID = publicationID
        self.dedupeKey = dedupeKey
        self.title = title
        self.link = link
        self.summary = summary
        self.author = author
        self.published = published
        self.updated = updated
        self.thumbnail = thumbnail
        self.feedPosition = feedPosition
        self.firstSeenAt = firstSeenAt
    }

    init(row: Row) {
        id = row["id"]
        publicationID = row["publicationID"]
        dedupeKey = row["dedupeKey"]
        title = row["title"]
        link = row["link"]
        summary = row["summary"]
        author = row["author"]
        published = row.optionalDate("published")
        updated = row.optionalDate("updated")
        thumbnail = row["thumbnail"]
        feedPosition = row["feedPosition"]
        firstSeenAt = row.date("firstSeenAt")
    }
}

/// A publication with its current headline, for the home page.
public struct PublicationHeadline: Sendable, Equatable {
    public var publication: PublicationRecord
    /// Nil until the first successful fetch with at least one item.
    public var headline: ArticleRecord?

    package init(publication: PublicationRecord, headline: ArticleRecord?) {
        self.publication = publication
        self.headline = headline
    }
}

extension ArticleInput {
    /// The most of each field a page ever shows; a feed may send far more, and every stored byte is paid for in
    /// every cached page. Longer titles and authors are cut (ending in "…"); longer URLs would be broken by a cut,
    /// so they are dropped.
    public static let maxTitleCharacters = 1_000
    public static let maxAuthorCharacters = 200
    public static let maxURLCharacters = 2_048

    /// This article with its fields held to those bounds.
    package func bounded() -> ArticleInput {
        var article = self
        article.title = title.map { Self.cut($0, to: Self.maxTitleCharacters) }
        article.author = author.map { Self.cut($0, to: Self.maxAuthorCharacters) }
        article.link = link.flatMap { $0.count <= Self.maxURLCharacters ? $0 : nil }
        article.thumbnail = thumbnail.flatMap { $0.count <= Self.maxURLCharacters ? $0 : nil }
        return article
    }

    private static func cut(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}

import Foundation

/// One article of a successful fetch as every engine stores it. `plan(_:)` is the one place that decides what a
/// fetch stores (fields held to their bounds, the dedupe key, which of several items with one key counts, the feed
/// position), so SQLite and PostgreSQL cannot drift apart on it; each engine only writes the result.
package struct FetchedArticle: Sendable, Equatable {
    /// What identifies the article across fetches of one publication (see `DedupeKey`).
    package var dedupeKey: String
    /// Index among the fetch's kept articles: 0 is the new headline.
    package var feedPosition: Int
    package var content: ArticleContent

    /// The fetch's articles in feed order, each bounded and keyed; when a key repeats, the first occurrence wins and
    /// the later ones are dropped (they take no position either).
    package static func plan(_ articles: [ArticleInput]) -> [FetchedArticle] {
        var seenKeys = Set<String>()
        var planned: [FetchedArticle] = []
        planned.reserveCapacity(articles.count)
        for article in articles.map({ $0.bounded() }) {
            let key = DedupeKey.of(article)
            guard seenKeys.insert(key).inserted else { continue }
            planned.append(FetchedArticle(dedupeKey: key, feedPosition: planned.count, content: ArticleContent(article)))
        }
        return planned
    }
}

/// The fields of a stored article that a fetch may change, as stored (times in seconds since 1970): comparing the
/// stored content with the fetched one decides "updated" versus "unchanged".
package struct ArticleContent: Sendable, Equatable {
    package var title, link, summary, author: String?
    package var published, updated: Double?
    package var thumbnail: String?

    package init(title: String?, link: String?, summary: String?, author: String?,
                 published: Double?, updated: Double?, thumbnail: String?) {
        self.title = title
        self.link = link
        self.summary = summary
        self.author = author
        self.published = published
        self.updated = updated
        self.thumbnail = thumbnail
    }

    init(_ input: ArticleInput) {
        self.init(title: input.title, link: input.link, summary: input.summary, author: input.author,
                  published: input.published?.timeIntervalSince1970, updated: input.updated?.timeIntervalSince1970,
                  thumbnail: input.thumbnail)
    }
}

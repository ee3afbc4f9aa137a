import Foundation

/// One article as the news and home pages show it.
///
/// All fields are plain text (HTML-escaped when rendered, so `&amp;` in a title shows literally).
public struct ArticleView: Sendable, Equatable {
    /// "Untitled article" when the feed gave none, so the link always has text.
    public let title: String
    /// The article's link, kept only when it is `http:`/`https:`; otherwise the title shows unlinked.
    public let href: String?
    public let summary: String?
    public let author: String?
    /// Kept only when it is `https:`; anything else (http:, data:, javascript:) shows no image.
    public let thumbnailURL: String?
    public let published: TimeView?
    /// True when author or published time is present, so the meta line renders only with content.
    public let hasMeta: Bool

    public init(
        title: String,
        link: String,
        summary: String? = nil,
        author: String? = nil,
        thumbnailURL: String? = nil,
        published: TimeView? = nil
    ) {
        self.title = Self.nonBlank(title) ?? "Untitled article"
        self.href = URLPolicy.webLink(link)
        self.summary = summary.flatMap(Self.nonBlank)
        self.author = author.flatMap(Self.nonBlank)
        self.thumbnailURL = thumbnailURL.flatMap(URLPolicy.secureImage)
        self.published = published
        self.hasMeta = self.author != nil || published != nil
    }

    private init(title: String, href: String?, summary: String?, author: String?, thumbnailURL: String?, published: TimeView?) {
        self.title = title
        self.href = href
        self.summary = summary
        self.author = author
        self.thumbnailURL = thumbnailURL
        self.published = published
        self.hasMeta = author != nil || published != nil
    }

    /// This article as a card shows it: title and summary cut (ending in "…"), URLs over `urlBytes` left off.
    func shortened(title titleLimit: Int, summary summaryLimit: Int, urlBytes: Int) -> ArticleView {
        ArticleView(title: Self.cut(title, to: titleLimit), href: href.flatMap { $0.utf8.count <= urlBytes ? $0 : nil },
                    summary: summary.map { Self.cut($0, to: summaryLimit) }, author: author,
                    thumbnailURL: thumbnailURL.flatMap { $0.utf8.count <= urlBytes ? $0 : nil }, published: published)
    }

    private static func cut(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)).trimmingCharacters(in: .whitespaces) + "…"
    }

    private static func nonBlank(_ text: String) -> String? {
        text.allSatisfy(\.isWhitespace) ? nil : text
    }
}

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

    private static func nonBlank(_ text: String) -> String? {
        text.allSatisfy(\.isWhitespace) ? nil : text
    }
}

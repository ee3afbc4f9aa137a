/// Links between the pages of a long list ("Page 2 of 34", newer/older). Page 1 is the bare path; the others
/// add `?page=N`.
public struct Pagination: Sendable, Equatable {
    /// 1-based.
    public let page: Int
    public let pageCount: Int
    /// Nil on the first page.
    public let previousURL: String?
    /// Nil on the last page.
    public let nextURL: String?
    /// "← Newer", "← Previous".
    public let previousLabel: String
    /// "Older →", "Next →".
    public let nextLabel: String
    /// Only lists longer than one page show the links.
    public let isNeeded: Bool

    /// - Parameter path: the list's own path (`/`, `/status`); a local path chosen by the app.
    public init(page: Int, pageCount: Int, path: String, previousLabel: String = "Previous", nextLabel: String = "Next") {
        let pageCount = max(1, pageCount)
        let page = min(max(1, page), pageCount)
        self.page = page
        self.pageCount = pageCount
        self.previousURL = page > 1 ? Self.url(path, page: page - 1) : nil
        self.nextURL = page < pageCount ? Self.url(path, page: page + 1) : nil
        self.previousLabel = previousLabel
        self.nextLabel = nextLabel
        self.isNeeded = pageCount > 1
    }

    /// How many pages `total` items fill, `perPage` to a page (an empty list is one empty page).
    public static func pageCount(total: Int, perPage: Int) -> Int {
        max(1, (max(0, total) + max(1, perPage) - 1) / max(1, perPage))
    }

    /// The address of `page` of the list at `path`.
    public static func url(_ path: String, page: Int) -> String {
        page <= 1 ? path : path + "?page=\(page)"
    }
}

/// The operator's view of every feed: last fetch, errors, back-off, article counts.
public struct StatusPage: PageView {
    public static let template = "status"
    public let rows: [StatusRow]
    public let hasRows: Bool

    public init(rows: [StatusRow]) {
        self.rows = rows
        self.hasRows = !rows.isEmpty
    }
}

/// One publication's fetch state.
public struct StatusRow: Sendable, Equatable {
    public let id: String
    public let name: String
    /// `/news/{id}`.
    public let path: String
    public let lastFetch: TimeView?
    public let httpStatus: Int?
    /// The latest error in words (plain text), nil when healthy.
    public let error: String?
    public let failingSince: TimeView?
    public let nextTry: TimeView?
    public let articleCount: Int
    public let consecutiveFailures: Int
    /// True when the row should be flagged (an error or failures in a row).
    public let isFailing: Bool

    public init(
        id: String, name: String, lastFetch: TimeView?, httpStatus: Int?, error: String?,
        failingSince: TimeView?, nextTry: TimeView?, articleCount: Int, consecutiveFailures: Int
    ) {
        self.id = id
        self.name = name
        self.path = NewsPath.forPublication(id)
        self.lastFetch = lastFetch
        self.httpStatus = httpStatus
        self.error = error
        self.failingSince = failingSince
        self.nextTry = nextTry
        self.articleCount = articleCount
        self.consecutiveFailures = consecutiveFailures
        self.isFailing = error != nil || consecutiveFailures > 0
    }
}

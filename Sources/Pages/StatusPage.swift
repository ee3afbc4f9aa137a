/// The operator's view of every feed: a summary line, then each feed's last fetch, errors, back-off and article
/// count, failing feeds first, a page of rows at a time.
public struct StatusPage: PageView {
    public static let template = "status"
    public let summary: StatusSummary?
    public let rows: [StatusRow]
    public let hasRows: Bool
    public let pagination: Pagination?

    public init(rows: [StatusRow], summary: StatusSummary? = nil, pagination: Pagination? = nil) {
        self.summary = summary
        self.rows = rows
        self.hasRows = !rows.isEmpty
        self.pagination = pagination?.isNeeded == true ? pagination : nil
    }
}

/// "998 ok · 2 failing · oldest successful fetch 20 minutes ago": the catalog's health at a glance.
public struct StatusSummary: Sendable, Equatable {
    public let ok: Int
    public let failing: Int
    /// Not fetched successfully yet (and not failing).
    public let waiting: Int
    public let hasWaiting: Bool
    public let hasFailing: Bool
    /// The stalest publication's latest successful fetch; nil before any.
    public let oldestSuccess: TimeView?

    public init(ok: Int, failing: Int, waiting: Int, oldestSuccess: TimeView?) {
        self.ok = ok
        self.failing = failing
        self.waiting = waiting
        self.hasWaiting = waiting > 0
        self.hasFailing = failing > 0
        self.oldestSuccess = oldestSuccess
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

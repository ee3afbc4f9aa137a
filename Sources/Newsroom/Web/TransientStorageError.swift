import Storage

extension StorageError {
    /// What `Retry-After` says when the database could not answer a request in time.
    static let retryAfterSeconds: Double = 5

    /// A failure that goes away by itself (a lock held past the request's wait, a database that is restarting),
    /// answered 503 with `Retry-After`; anything else is a 500.
    var isTransient: Bool {
        switch self {
        case .busy, .unreachable: true
        default: false
        }
    }
}

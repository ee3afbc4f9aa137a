/// Defaults and sane bounds for what one connection may hold of the server (security review, issue 9 item 4).
public enum ConnectionSettings {
    /// Seconds a connection may take to send a whole request, or sit idle between requests.
    public static let defaultTimeoutSeconds = 30
    /// Anything longer lets a few hundred stalled clients hold the server for minutes; under a second cuts off real ones.
    public static let allowedTimeoutSeconds = 1...600
    /// Well above a members-only reader's real load and well below a typical 1024-descriptor limit, leaving room
    /// for SQLite, feed fetches and GitHub calls: 300 stalled clients still leave room for `/healthz`.
    public static let defaultMaxConnections = 512
    /// Past the largest descriptor limit a process here would have, a bound stops bounding anything.
    public static let allowedMaxConnections = 1...65_536
    /// Request bodies: the app only takes tiny forms (a CSRF token), the GitHub sandbox small OAuth posts.
    public static let maxRequestBodyBytes = 16 * 1024
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ConnectionSettings {
    /// Room kept for the database, feed fetches, GitHub calls and the listener itself.
    public static let descriptorsBesidesConnections = 64

    /// The soft limit on open files (`ulimit -n`), nil when unknown or unlimited.
    public static func openFileLimit() -> Int? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return Int(clamping: limit.rlim_cur)
    }
}

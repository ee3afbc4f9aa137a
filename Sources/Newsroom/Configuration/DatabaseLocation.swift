import PostgresStorage

/// Where the data lives, from `--database`, `NEWSROOM_DATABASE` or `DATABASE_URL`: an SQLite file (the embedded
/// default, one server per file) or a PostgreSQL server (`postgres://` or `postgresql://`, for several instances).
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresURL)

    /// Reads the setting; a malformed PostgreSQL URL is an error that never repeats its password.
    public init(_ text: String) throws(ConfigError) {
        guard PostgresURL.isPostgresURL(text) else {
            self = .sqlite(path: text)
            return
        }
        do {
            self = .postgres(try PostgresURL(text))
        } catch {
            throw .invalidDatabaseURL(reason: error.reason)
        }
    }

    /// For the banner and messages: the path, or the URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): "SQLite file \(path)"
        case .postgres(let url): "PostgreSQL \(url.redacted)"
        }
    }
}

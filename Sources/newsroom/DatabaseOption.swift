import Foundation

/// `--database` for the commands that open the database: the option, else NEWSROOM_DATABASE, else DATABASE_URL (the
/// name hosts set for PostgreSQL), else `newsroom.sqlite` in the current folder: the order `serve` reads them in.
enum DatabaseOption {
    static let help = "SQLite database file, or a postgres:// URL (else NEWSROOM_DATABASE, DATABASE_URL, newsroom.sqlite)."

    static func resolve(_ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        for candidate in [option, environment["NEWSROOM_DATABASE"], environment["DATABASE_URL"]] {
            if let candidate, !candidate.isEmpty { return candidate }
        }
        return "newsroom.sqlite"
    }
}

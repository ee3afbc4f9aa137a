import Foundation

/// Everything `Store` throws. Messages say what to do; they never contain stored values
/// (tokens, session hashes, CSRF tokens), only paths, ids the operator chose, and SQLite's reason.
public enum StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The folder that should hold the database file does not exist.
    case directoryMissing(path: String)
    /// SQLite refused to write: file or folder permissions, a read-only mount, or a full disk.
    case notWritable(path: String, reason: String)
    /// The file exists but is not an SQLite database (or is encrypted or corrupt).
    case notADatabase(path: String)
    /// The database was migrated by a newer newsroom; this binary must not touch it.
    case newerSchema(path: String, unknownMigrations: [String])
    /// A schema migration failed; the database is left at the last migration that succeeded.
    case migrationFailed(path: String, reason: String)
    /// Another process held the database lock for longer than the busy timeout.
    case busy(operation: String)
    /// A publication id that `syncCatalog` never registered.
    case unknownPublication(id: String)
    /// A session refers to a GitHub account that `upsertUser` never stored.
    case unknownUser(githubID: Int64)
    /// The same publication id appears twice in one catalog.
    case duplicatePublicationID(String)
    /// A session or login attempt with this key already exists (a hash collision or a replayed insert).
    case alreadyExists(what: String)
    /// Any other SQLite failure, named by the operation that hit it.
    case database(operation: String, reason: String)
    /// The database server could not be reached or refused the connection (PostgreSQL). `location` is the URL
    /// without its password.
    case unreachable(location: String, reason: String)
    /// Another `newsroom serve` already serves this SQLite file: one server per file.
    case servedByAnotherProcess(path: String)

    public var description: String {
        switch self {
        case .directoryMissing(let path):
            return "database folder '\(path)' does not exist; create it or point the database path elsewhere"
        case .notWritable(let path, let reason):
            return "database '\(path)' is not writable (\(reason)); check the file and folder permissions and free disk space"
        case .notADatabase(let path):
            return "'\(path)' is not an SQLite database; move it away or choose another database path"
        case .newerSchema(let path, let unknown):
            return "database '\(path)' was created by a newer newsroom (unknown migrations: \(unknown.joined(separator: ", "))); run the newer version or restore a backup"
        case .migrationFailed(let path, let reason):
            return "migrating database '\(path)' failed: \(reason); restore a backup or report this as a bug"
        case .busy(let operation):
            return "\(operation): the database did not answer in time (locked by another writer, or not reachable); retry, and check the database if it goes on"
        case .unknownPublication(let id):
            return "publication '\(id)' is not in the database; sync the catalog first"
        case .unknownUser(let githubID):
            return "GitHub user \(githubID) is not in the database; store the user before creating a session"
        case .duplicatePublicationID(let id):
            return "publication id '\(id)' appears more than once in the catalog; ids must be unique"
        case .alreadyExists(let what):
            return "\(what) already exists; generate a new random id"
        case .database(let operation, let reason):
            return "\(operation) failed: \(reason)"
        case .servedByAnotherProcess(let path):
            return "another newsroom server is already serving '\(path)'; SQLite takes one server per file: stop it, or move to PostgreSQL (DATABASE_URL=postgres://…) to run several instances"
        case .unreachable(let location, let reason):
            return "cannot reach the database at \(location) (\(reason)); check that PostgreSQL runs there and that the host, port, database, user and password are right"
        }
    }
}

extension StorageError: LocalizedError {
    public var errorDescription: String? { description }
}

import Foundation
internal import GRDB

/// Keeping the database small and fast (housekeeping) and copying it safely (`newsroom backup`).
extension SQLiteStore {
    /// Trims every publication's articles to `articleRetentionLimit`, active or not, never touching an article of a
    /// publication's latest fetch. Each fetch trims its own publication already; this catches the publications that
    /// no longer fetch (removed from feeds.json, or failing) and a limit lowered since they last did. Returns how
    /// many articles went.
    @discardableResult
    public func applyArticleRetention(keep: Int) async throws(StorageError) -> Int {
        try await write("trimming old articles") { db in
            let ids = try String.fetchAll(db, sql: "SELECT id FROM publications")
            var deleted = 0
            for id in ids {
                try ArticleUpsert.applyRetention(db, publicationID: id, keep: keep)
                deleted += db.changesCount
            }
            return deleted
        }
    }

    /// `PRAGMA optimize`: lets SQLite refresh the statistics its query planner uses, for the tables whose use
    /// suggests they are stale. Cheap when nothing changed, so housekeeping runs it every round.
    public func optimize() async throws(StorageError) {
        do {
            try await pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA optimize") }
        } catch {
            throw SQLiteStore.storageError(error, operation: "optimizing the database", path: path)
        }
    }

    /// One server per file (`SQLiteServeLock`): nobody else to take turns with.
    public func claimLease(_ name: String, holder: String, now: Date, until: Date) async throws(StorageError) -> Bool { true }

    /// Copies the SQLite database at `source` into a new file at `destination`, as of one moment, while other
    /// processes (a running server) go on reading and writing it: SQLite's online backup API, in one step, so the
    /// copy is one consistent snapshot. Opens `source` without migrating or creating anything.
    ///
    /// The copy is written beside `destination` under a temporary name (readable by the owner only: it holds
    /// sealed tokens and session hashes), checked, switched to a self-contained rollback journal, and only then put
    /// in place: an interrupted backup never leaves a half-written file under the destination's name. Without
    /// `replacing`, an existing destination is refused, even one created while the copy was made.
    public static func backup(databaseAt source: String, to destination: String, replacing: Bool) throws(BackupError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .noDatabase(path: source)
        }
        if !replacing, FileManager.default.fileExists(atPath: destination) { throw .destinationExists(path: destination) }
        let folder = (destination as NSString).deletingLastPathComponent
        let partial = (folder.isEmpty ? "" : folder + "/") + "." + (destination as NSString).lastPathComponent + ".partial-\(UUID().uuidString)"
        let fd = Glibc.open(partial, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw .cannotWrite(path: folder.isEmpty ? "." : folder, reason: String(cString: strerror(errno)))
        }
        close(fd)
        var placed = false
        defer { if !placed { unlink(partial) } }

        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(busyTimeout)
            configuration.label = "newsroom-backup-source"
            let sourceQueue = try DatabaseQueue(path: source, configuration: configuration)
            let copy = try DatabaseQueue(path: partial)
            try sourceQueue.backup(to: copy)
            try sourceQueue.close()
            // The copied header says WAL, as the source does; a rollback journal makes the copy one file that opens
            // anywhere, read-only too. newsroom switches it back to WAL when it serves from it.
            try copy.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard check == ["ok"] else { throw BackupError.copyFailedCheck(check.prefix(3).joined(separator: "; ")) }
            }
            try copy.close()
        } catch let error as BackupError {
            throw error
        } catch {
            throw .storage(storageError(error, operation: "backing up '\(source)'", path: source))
        }

        if replacing {
            guard rename(partial, destination) == 0 else { throw .cannotWrite(path: destination, reason: String(cString: strerror(errno))) }
        } else {
            // link() never replaces: a file that appeared at the destination meanwhile is refused, not overwritten.
            guard link(partial, destination) == 0 else {
                throw errno == EEXIST ? .destinationExists(path: destination) : .cannotWrite(path: destination, reason: String(cString: strerror(errno)))
            }
            unlink(partial)
        }
        placed = true
    }
}

/// Why `Store.backup` made no copy. Names paths only, never a stored value.
public enum BackupError: Error, Equatable, Sendable, CustomStringConvertible {
    case noDatabase(path: String)
    /// Refused without `--force`, so a backup never overwrites by accident.
    case destinationExists(path: String)
    case cannotWrite(path: String, reason: String)
    /// SQLite's own check of the finished copy did not say "ok".
    case copyFailedCheck(String)
    case storage(StorageError)

    public var description: String {
        switch self {
        case .noDatabase(let path): "there is no database at '\(path)'"
        case .destinationExists(let path): "'\(path)' already exists; pass --force to replace it"
        case .cannotWrite(let path, let reason): "cannot write '\(path)' (\(reason))"
        case .copyFailedCheck(let detail): "the copy failed SQLite's check (\(detail)); the database may be damaged: keep the last good backup"
        case .storage(let error): error.description
        }
    }
}

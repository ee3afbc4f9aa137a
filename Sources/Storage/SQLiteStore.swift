import Foundation
import Synchronization
internal import GRDB

/// The embedded engine: one SQLite file in WAL mode behind a GRDB `DatabasePool`, for one server per file.
///
/// Each call is one `pool.read` (concurrent, snapshot-isolated) or `pool.write` (serialized, one transaction)
/// through GRDB's async access, which runs it on GRDB's own dispatch queues: a write waiting for another process's
/// lock (up to `busyTimeout`) blocks one of those, never a cooperative thread.
public final class SQLiteStore: Store {
    /// How long a write waits for another process's lock before failing with `StorageError.busy`.
    public static let busyTimeout: TimeInterval = 5
    /// The most each connection keeps in SQLite's page cache (see `init`).
    static let pageCacheKiB = 256

    /// The database file.
    public var path: String { file.path }
    public var location: String { file.path }
    var pool: DatabasePool { file.pool }
    /// The open file, shared by this store and the copies `limitingWaits(to:)` makes.
    let file: OpenFile
    /// Set on the copies `limitingWaits(to:)` makes: each call gives up after this long.
    let waitLimit: Duration?

    /// The pool, its write probe and the temporary folder it may own: closed and removed with the last store using them.
    final class OpenFile: Sendable {
        let path: String
        let pool: DatabasePool
        /// A connection of its own for `isWritable()`, opened on first use (see SQLiteStore+Readiness.swift).
        let writeProbe = Mutex<DatabaseQueue?>(nil)
        /// Set for `temporary()` stores: the folder removed when the store goes away.
        let ownedDirectory: String?

        init(path: String, pool: DatabasePool, ownedDirectory: String?) {
            self.path = path
            self.pool = pool
            self.ownedDirectory = ownedDirectory
        }

        deinit {
            guard let ownedDirectory else { return }
            try? writeProbe.withLock { try $0?.close() }
            try? pool.close()
            try? FileManager.default.removeItem(atPath: ownedDirectory)
        }
    }

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    /// Opening an up-to-date database again changes nothing.
    /// - Parameter busyTimeout: how long a write waits for another process's lock (default `SQLiteStore.busyTimeout`).
    ///   The wait blocks the calling thread, so tests that hold the lock on purpose keep it short.
    public convenience init(path: String, busyTimeout: TimeInterval = SQLiteStore.busyTimeout) throws(StorageError) {
        try self.init(path: path, ownedDirectory: nil, busyTimeout: busyTimeout)
    }

    /// `init(path:busyTimeout:)` on a thread of its own, for async callers (the app at start): opening and migrating
    /// wait on the disk and on another process's write lock (up to `busyTimeout`), which must not hold one of the few
    /// threads of Swift's cooperative pool.
    public static func open(path: String, busyTimeout: TimeInterval = SQLiteStore.busyTimeout) async throws(StorageError) -> SQLiteStore {
        let opened: Result<SQLiteStore, StorageError> = await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: Result { () throws(StorageError) in try SQLiteStore(path: path, busyTimeout: busyTimeout) })
            }.start()
        }
        return try opened.get()
    }

    /// A store in a fresh temporary folder, deleted with the store. For tests and trials.
    public static func temporary() throws(StorageError) -> SQLiteStore {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("newsroom-store-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .notWritable(path: directory, reason: "cannot create the temporary folder")
        }
        return try SQLiteStore(path: directory + "/newsroom.sqlite", ownedDirectory: directory)
    }

    private init(path: String, ownedDirectory: String?, busyTimeout: TimeInterval = SQLiteStore.busyTimeout) throws(StorageError) {
        let folder = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw .directoryMissing(path: folder)
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Wait for another process's write lock instead of failing at once.
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "newsroom"
        // SQLite's page cache, per connection (the writer and each reader). The default 2 MiB made SQLite the largest
        // heap user after a 1 000-feed round (2.5 MB at the peak, heaptrack); 256 KiB took the server's anonymous memory
        // after the round from 11.4 to 9.7 MB with no slower refresh. The OS page cache still holds the file, and a reader's cache is
        // dropped anyway whenever a write lands, which during a round is all the time.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -\(SQLiteStore.pageCacheKiB)") }
        file = OpenFile(path: path, pool: try SQLiteStore.openPool(path: path, configuration: configuration), ownedDirectory: ownedDirectory)
        waitLimit = nil
        try migrate()
    }

    private init(sharing file: OpenFile, waitLimit: Duration) {
        self.file = file
        self.waitLimit = waitLimit
    }

    public func limitingWaits(to limit: Duration) -> any Store {
        SQLiteStore(sharing: file, waitLimit: limit)
    }

    private func migrate() throws(StorageError) {
        let migrator = Schema.migrator
        do {
            let unknown = try pool.read { db in
                try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
            }
            if !unknown.isEmpty { throw StorageError.newerSchema(path: path, unknownMigrations: unknown) }
        } catch let error as StorageError {
            throw error
        } catch {
            throw SQLiteStore.openingError(error, path: path)
        }
        // Each migration commits on its own, so another opener of the same new file (another process, or another
        // pool here) can apply one between our reading what is applied and our applying it, and ours then fails.
        // Every such failure means someone else made progress: read again and carry on from there.
        var attempt = 0
        while true {
            do {
                try migrator.migrate(pool)
                return
            } catch {
                if (try? pool.read({ db in try migrator.hasCompletedMigrations(db) })) == true { return }
                attempt += 1
                guard attempt < 20 else { throw SQLiteStore.openingError(error, path: path, migrating: true) }
                usleep(10_000)
            }
        }
    }

    /// Two processes opening a brand-new file at once can see SQLITE_BUSY straight away (switching to WAL does not
    /// wait on the busy handler), so opening is retried for a short while before it is reported.
    private static func openPool(path: String, configuration: Configuration) throws(StorageError) -> DatabasePool {
        var attempt = 0
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch {
                let busy = (error as? DatabaseError).map { $0.resultCode == .SQLITE_BUSY || $0.resultCode == .SQLITE_LOCKED } ?? false
                attempt += 1
                guard busy, attempt < 50 else { throw SQLiteStore.openingError(error, path: path) }
                usleep(20_000)
            }
        }
    }

    private static func openingError(_ error: any Error, path: String, migrating: Bool = false) -> StorageError {
        guard let error = error as? DatabaseError else {
            return migrating ? .migrationFailed(path: path, reason: "\(error)") : .database(operation: "opening '\(path)'", reason: "\(error)")
        }
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: return .notADatabase(path: path)
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_FULL, .SQLITE_IOERR:
            return .notWritable(path: path, reason: error.message ?? "SQLite code \(error.resultCode.rawValue)")
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy(operation: "opening '\(path)'")
        default:
            let reason = error.message ?? "SQLite code \(error.resultCode.rawValue)"
            return migrating ? .migrationFailed(path: path, reason: reason) : .database(operation: "opening '\(path)'", reason: reason)
        }
    }

    /// Runs one read transaction on GRDB's reader queues, turning every failure into a `StorageError`.
    func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StorageError) -> T {
        let pool = pool, path = path
        return try await WaitLimit.run(waitLimit, operation) { () async throws(StorageError) -> T in
            do {
                return try await pool.read(body)
            } catch {
                throw SQLiteStore.storageError(error, operation: operation, path: path)
            }
        }
    }

    /// Runs one write transaction (rolled back on any error) on GRDB's writer queue, turning every failure into a
    /// `StorageError`.
    func write<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StorageError) -> T {
        let pool = pool, path = path
        return try await WaitLimit.run(waitLimit, operation) { () async throws(StorageError) -> T in
            do {
                return try await pool.write(body)
            } catch {
                throw SQLiteStore.storageError(error, operation: operation, path: path)
            }
        }
    }

    static func storageError(_ error: any Error, operation: String, path: String) -> StorageError {
        if let error = error as? StorageError { return error }
        if error is CancellationError { return .busy(operation: operation) }
        guard let error = error as? DatabaseError else { return .database(operation: operation, reason: "\(error)") }
        let reason = error.message ?? "SQLite code \(error.resultCode.rawValue)"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy(operation: operation)
        case .SQLITE_READONLY, .SQLITE_FULL, .SQLITE_PERM, .SQLITE_CANTOPEN: return .notWritable(path: path, reason: reason)
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: return .notADatabase(path: path)
        default: return .database(operation: operation, reason: reason)
        }
    }
}

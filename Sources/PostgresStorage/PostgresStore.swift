import Foundation
import Logging
import PostgresNIO
import Storage
import Synchronization

/// The PostgreSQL engine: the same `Store` as `SQLiteStore`, for several newsroom instances on one database.
///
/// Each call runs on a connection of PostgresNIO's pool (`client`), as one statement or one READ COMMITTED
/// transaction, so no caller sees a half-applied change, and every read sees one snapshot. Times are `double
/// precision` seconds since 1970 and text compares byte by byte (`COLLATE "C"`), as in SQLite, so both engines
/// order and round-trip alike. Text cannot hold NUL characters in PostgreSQL: a string with one fails with
/// `StorageError.database` ("invalid data") where SQLite would store it (feeds and GitHub never send one).
///
/// The pool does nothing until its `run()` runs. A server lists `client` (a ServiceLifecycle `Service`) first in
/// the `ServiceGroup` it serves in, so that its connections close last, and calls `prepare(startupTimeout:)` inside
/// that group before it listens (`newsroom serve`). A command that ends, or a test, uses
/// `open(url:logger:startupTimeout:)`, which runs the client in a task the store owns; `close()` stops it. Never
/// both: a client runs once.
///
/// While the server cannot be reached, calls wait for a connection (the pool keeps retrying); the copies that
/// `limitingWaits(to:)` makes give up with `StorageError.busy` instead.
public final class PostgresStore: Store {
    public let url: PostgresURL
    /// The URL without its password: what messages name. Kept, not derived per call: every call's error names it.
    public let location: String
    /// The connection pool. A ServiceLifecycle `Service`: run it in the server's service group (see the type's notes).
    public var client: PostgresClient { pool.client }

    /// The client, the logger its queries use and the task running it (when this store started one): shared by this
    /// store and the copies `limitingWaits(to:)` makes, and stopped with the last of them.
    let pool: Pool
    /// Set on the copies `limitingWaits(to:)` makes: each call gives up after this long.
    let waitLimit: Duration?

    final class Pool: Sendable {
        let client: PostgresClient
        /// For queries. At least `info`: PostgresNIO logs rows and statements at `trace`, and those hold stored values.
        let logger: Logger
        let runTask = Mutex<Task<Void, Never>?>(nil)
        /// Run once the client this store started has stopped, after the last store using the pool went away.
        let afterStop = Mutex<(@Sendable () async -> Void)?>(nil)

        init(client: PostgresClient, logger: Logger) {
            self.client = client
            self.logger = logger
        }

        deinit {
            let task = runTask.withLock { $0 }
            task?.cancel()
            if let afterStop = afterStop.withLock({ $0 }) {
                Task {
                    await task?.value
                    await afterStop()
                }
            }
        }
    }

    /// A store for the database `url` names. Nothing connects yet: run `client` (see the type's notes).
    /// - Parameter logger: for the pool's own events (connections opened, lost, failing); never below `info`.
    public init(url: PostgresURL, logger: Logger = Logger(label: "newsroom.storage.postgres")) {
        var logger = logger
        if logger.logLevel < .info { logger.logLevel = .info }
        let client = PostgresClient(configuration: url.clientConfiguration, backgroundLogger: logger)
        self.url = url
        self.location = url.redacted
        self.pool = Pool(client: client, logger: logger)
        self.waitLimit = nil
    }

    /// Another handle on the same pool, whose calls give up after `waitLimit`.
    init(url: PostgresURL, pool: Pool, waitLimit: Duration) {
        self.url = url
        self.location = url.redacted
        self.pool = pool
        self.waitLimit = waitLimit
    }

    public func limitingWaits(to limit: Duration) -> any Store {
        PostgresStore(url: url, pool: pool, waitLimit: limit)
    }

    /// How long a newsroom waits at startup for a PostgreSQL server still starting next to it.
    public static let startupTimeout: Duration = .seconds(30)

    /// The store for a command line tool or a test: starts the client in a task this store owns, then `prepare`s.
    /// `close()` stops the client; so does the last copy of the store going away.
    /// - Throws: as `prepare(startupTimeout:)`.
    public static func open(
        url: PostgresURL, logger: Logger = Logger(label: "newsroom.storage.postgres"), startupTimeout: Duration = PostgresStore.startupTimeout
    ) async throws(StorageError) -> PostgresStore {
        let store = PostgresStore(url: url, logger: logger)
        store.startClient()
        do {
            try await store.prepare(startupTimeout: startupTimeout)
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// Waits until the server answers (up to `startupTimeout`, for a server still starting next to it) and migrates
    /// the schema: what must happen before anything uses the store. Call it while `client` runs.
    /// - Throws: `StorageError.unreachable` naming host, port and database (never the password) when the server
    ///   did not answer in time or refused the connection; `newerSchema` or `migrationFailed` from migrating.
    public func prepare(startupTimeout: Duration = PostgresStore.startupTimeout) async throws(StorageError) {
        try await waitUntilReachable(timeout: startupTimeout)
        try await migrate()
    }

    /// Runs `client` in a task this store owns, for callers without a service group (`open` calls it); `close()`
    /// stops it. Does nothing the second time. Never call it for a client that a service group runs.
    public func startClient() {
        let client = pool.client
        pool.runTask.withLock { task in
            guard task == nil else { return }
            task = Task { await client.run() }
        }
    }

    /// Stops the client this store started (`open`) and waits until its connections are closed. Calls made after
    /// this fail. Does nothing for a store whose client runs in a service group: stop the group instead.
    public func close() async {
        guard let task = pool.runTask.withLock({ $0 }) else { return }
        task.cancel()
        await task.value
    }
}

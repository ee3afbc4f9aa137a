import Logging
import PostgresNIO
import Storage

/// One leased connection, as the store's calls use it: every statement's rows are read to the end before the next
/// statement is sent, and every value is a bound parameter (`PostgresQuery` interpolation binds; only constant
/// fragments go through `unescaped:`).
struct Connection: Sendable {
    let base: PostgresConnection
    let logger: Logger

    /// All rows of one statement.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await base.query(query, logger: logger).collect()
    }

    /// Runs a statement for its effect; any rows are read and dropped.
    func execute(_ query: PostgresQuery) async throws {
        _ = try await rows(query)
    }

    /// The first column of the first row as an integer (a `count(*)`), 0 without rows.
    func integer(_ query: PostgresQuery) async throws -> Int {
        guard let row = try await rows(query).first else { return 0 }
        var reader = RowReader(row)
        return try reader.next(Int?.self) ?? 0
    }
}

extension PostgresStore {
    /// How a call uses its connection.
    enum Access {
        /// Statements as sent, each its own transaction: for calls of one statement (PostgreSQL runs every statement
        /// atomically, on one snapshot; the reads that SQLite runs as several statements in one snapshot are one
        /// statement here).
        case statement
        /// One READ COMMITTED transaction, rolled back on any error.
        case write
    }

    /// Runs `body` on a pooled connection as `access` says, within this store's wait limit, and turns every failure
    /// into a `StorageError` named by `operation` (which must name no stored secret: it ends up in messages).
    func run<T: Sendable>(
        _ operation: String, _ access: Access = .statement, _ body: @escaping @Sendable (Connection) async throws -> T
    ) async throws(StorageError) -> T {
        let client = pool.client, logger = pool.logger, location = location
        return try await WaitLimit.run(waitLimit, operation) { () async throws(StorageError) -> T in
            do {
                return try await client.withConnection { base in
                    let connection = Connection(base: base, logger: logger)
                    switch access {
                    case .statement: return try await body(connection)
                    case .write: return try await Self.transaction(connection, body)
                    }
                }
            } catch {
                throw PostgresFailure.storageError(error, operation: operation, location: location)
            }
        }
    }

    /// `BEGIN`, the body, `COMMIT`; `ROLLBACK` when anything throws.
    private static func transaction<T: Sendable>(_ connection: Connection, _ body: (Connection) async throws -> T) async throws -> T {
        try await connection.execute("BEGIN")
        do {
            let value = try await body(connection)
            try await connection.execute("COMMIT")
            return value
        } catch {
            await connection.rollBack()
            throw error
        }
    }
}

extension Connection {
    /// Ends the transaction without a trace. Should `ROLLBACK` itself fail, the connection is closed (which ends
    /// the transaction too), so the pool never hands out one still inside a transaction.
    func rollBack() async {
        do {
            try await execute("ROLLBACK")
        } catch {
            base.abandon()
        }
    }
}

extension PostgresConnection {
    /// Closes a pooled connection without waiting: the pool notices and replaces it, and whatever the session held
    /// (a transaction, an advisory lock) ends with it.
    func abandon() {
        let _: EventLoopFuture<Void> = close()
    }

    /// Runs `body` on a connection of its own, outside the pool, then closes it and waits until it is closed
    /// (PostgresNIO insists that a connection it made is closed before it goes away).
    static func withSingleConnection<T: Sendable>(
        _ configuration: Configuration, logger: Logger, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection = try await connect(configuration: configuration, id: 0, logger: logger)
        let result: Result<T, any Error>
        do { result = .success(try await body(connection)) } catch { result = .failure(error) }
        // Closing only waits for the channel to close: it has nothing to report that matters here.
        _ = try? await connection.close()
        return try result.get()
    }
}

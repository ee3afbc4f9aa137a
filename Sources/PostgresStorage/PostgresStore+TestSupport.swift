import Foundation
import PostgresNIO
import Storage

// For tests in this package only: a fresh database per test on a throwaway server, dropped after use.
extension PostgresURL {
    /// The same server, user and settings, another database.
    package func replacingDatabase(with name: String) -> PostgresURL {
        var url = self
        url.database = name
        return url
    }
}

extension PostgresStore {
    /// Creates the empty database `name` on the server `server` names (connecting to `server`'s own database).
    /// Names cannot be bound as parameters, so only lower-case ASCII letters, digits and `_` are accepted.
    package static func createDatabase(named name: String, on server: PostgresURL) async throws(StorageError) {
        try await administer(server, "CREATE DATABASE \(try quoted(name))")
    }

    /// Drops the database `name`, closing whatever connections it still has.
    package static func dropDatabase(named name: String, on server: PostgresURL) async throws(StorageError) {
        try await administer(server, "DROP DATABASE IF EXISTS \(try quoted(name)) WITH (FORCE)")
    }

    /// Runs `cleanup` once the client this store started has stopped, after the last copy of the store went away
    /// (e.g. dropping its test database).
    package func afterLastUse(_ cleanup: @escaping @Sendable () async -> Void) {
        pool.afterStop.withLock { $0 = cleanup }
    }

    private static func quoted(_ name: String) throws(StorageError) -> String {
        guard !name.isEmpty, name.count <= 63, name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) else {
            throw .database(operation: "naming a test database", reason: "use lower-case letters, digits and '_' only")
        }
        return "\"\(name)\""
    }

    /// One statement on a connection of its own (CREATE and DROP DATABASE cannot run inside a transaction block).
    private static func administer(_ server: PostgresURL, _ sql: String) async throws(StorageError) {
        let configuration = try server.connectionConfiguration(connectTimeout: .seconds(10))
        let logger = Logger(label: "newsroom.postgres.tests")
        do {
            try await PostgresConnection.withSingleConnection(configuration, logger: logger) { connection in
                _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
            }
        } catch {
            throw PostgresFailure.storageError(error, operation: sql, location: server.redacted)
        }
    }
}

extension PostgresStore {
    /// Runs constant SQL (no values: nothing is bound) and returns each row's columns as text, NULL as nil; the
    /// statement must cast every column to `text`. For tests that look at the schema or tamper with it.
    package func textRows(unsafeSQL sql: String) async throws(StorageError) -> [[String?]] {
        try await run("running a test statement") { connection in
            try await connection.rows(PostgresQuery(unsafeSQL: sql)).map { row in
                var reader = RowReader(row)
                return try (0..<row.count).map { _ in try reader.next(String?.self) }
            }
        }
    }
}

extension PostgresStore {
    /// Every migration this binary knows, in the order it applies them.
    package static var migrationIdentifiers: [String] { PostgresSchema.migrations.map(\.identifier) }
}

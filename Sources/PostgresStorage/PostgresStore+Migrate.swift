import PostgresNIO
import Storage

extension PostgresStore {
    /// The advisory lock key every newsroom instance takes to migrate: the bytes of "newsroom" as a bigint.
    static let migrationLockKey: Int64 = 0x6E65_7773_726F_6F6D

    /// Applies the migrations the database lacks, each in its own transaction. Safe to run from several instances
    /// at once: each holds a session-level advisory lock while it migrates, so one applies them and the others find
    /// nothing left to do. Running it on an up-to-date database changes nothing.
    /// - Throws: `StorageError.newerSchema` (applying nothing) when the database has migrations this binary does not
    ///   know: a newer newsroom migrated it. `migrationFailed` when one fails (the database stays at the last one
    ///   that succeeded).
    public func migrate() async throws(StorageError) {
        let location = location
        try await run("migrating \(location)") { connection in
            try await connection.execute("SELECT pg_advisory_lock(\(Self.migrationLockKey))")
            do {
                try await Self.applyMissingMigrations(connection, location: location)
            } catch {
                await Self.unlock(connection)
                throw error
            }
            await Self.unlock(connection)
        }
    }

    private static func applyMissingMigrations(_ connection: Connection, location: String) async throws {
        // Text is stored as the client sends it, UTF-8; a database in another encoding would refuse or mangle it.
        let encoding = try await connection.rows("SELECT current_setting('server_encoding')").first.map { row in
            var reader = RowReader(row)
            return try reader.next(String.self)
        }
        guard encoding == "UTF8" else {
            throw StorageError.migrationFailed(path: location, reason: "the database's encoding is \(encoding ?? "unknown"), not UTF8; "
                                               + "create it with ENCODING 'UTF8'")
        }
        try await connection.execute("CREATE TABLE IF NOT EXISTS schema_migrations (identifier text COLLATE \"C\" PRIMARY KEY)")
        var applied = Set<String>()
        for row in try await connection.rows("SELECT identifier FROM schema_migrations") {
            var reader = RowReader(row)
            applied.insert(try reader.next(String.self))
        }
        let unknown = applied.subtracting(PostgresSchema.identifiers).sorted()
        guard unknown.isEmpty else { throw StorageError.newerSchema(path: location, unknownMigrations: unknown) }

        for migration in PostgresSchema.migrations where !applied.contains(migration.identifier) {
            do {
                try await connection.execute("BEGIN")
                for statement in migration.statements { try await connection.execute(statement) }
                try await connection.execute("INSERT INTO schema_migrations (identifier) VALUES (\(migration.identifier))")
                try await connection.execute("COMMIT")
            } catch {
                await connection.rollBack()
                let reason = PostgresFailure.storageError(error, operation: migration.identifier, location: location)
                throw StorageError.migrationFailed(path: location, reason: "\(migration.identifier): \(reason)")
            }
        }
    }

    /// Releases the migration lock. Should that fail the connection is closed, which releases it too: either way
    /// the next instance can go on, so there is nothing to report.
    private static func unlock(_ connection: Connection) async {
        do {
            try await connection.execute("SELECT pg_advisory_unlock(\(migrationLockKey))")
        } catch {
            connection.base.abandon()
        }
    }
}

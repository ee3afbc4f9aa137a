import Foundation
import PostgresStorage
import Storage
import StorageTestSupport
import Testing

@Suite("PostgreSQL migrations", needsServer)
struct MigrationTests {
    /// Every migration this binary knows, sorted as the query below returns them (plain ASCII identifiers).
    static let knownMigrations = PostgresStore.migrationIdentifiers.sorted()

    /// Every column of every table, with its type and collation, and every index and trigger: what a migration changes.
    static func schema(of store: PostgresStore) async throws -> [[String?]] {
        try await store.textRows(unsafeSQL: """
            SELECT table_name::text || '.' || column_name::text, data_type::text, coalesce(collation_name::text, '-')
            FROM information_schema.columns WHERE table_schema = 'public'
            UNION ALL SELECT 'index ' || indexname::text, indexdef::text, '' FROM pg_indexes WHERE schemaname = 'public'
            UNION ALL SELECT 'trigger ' || tgname::text, tgrelid::regclass::text, '' FROM pg_trigger WHERE NOT tgisinternal
            ORDER BY 1
            """)
    }

    static func appliedMigrations(of store: PostgresStore) async throws -> [String] {
        try await store.textRows(unsafeSQL: "SELECT identifier FROM schema_migrations ORDER BY identifier").compactMap { $0.first ?? nil }
    }

    @Test func createTheWholeSchema() async throws {
        let (store, _) = try await StorageEngine.makePostgresStore()
        #expect(try await Self.appliedMigrations(of: store) == Self.knownMigrations)
        #expect(PostgresStore.migrationIdentifiers.starts(with: ["v1-publications-articles", "v2-users-sessions-logins", "v3-expiring-session-tokens",
                                                   "v4-stored-article-counts", "v5-fetch-leases"]),
                "the names SQLite's migrations have, then PostgreSQL's own")
        let schema = try await Self.schema(of: store)
        let columns = Set(schema.compactMap { $0.first ?? nil })
        for column in ["publications.leaseuntil", "publications.articlecount", "publications.contentchangedat", "articles.dedupekey",
                       "sessions.encryptedrefreshtoken", "sessions.tokenexpiresat", "login_attempts.seq", "users.githubid",
                       "trigger articles_count_insert", "trigger articles_count_delete", "index articles_recency"] {
            #expect(columns.contains(column), "missing \(column)")
        }
        // Times are double precision (exact round trips), blobs bytea, text compares byte by byte.
        let types = Dictionary(schema.compactMap { row in row.first.flatMap { $0 }.map { ($0, row) } }, uniquingKeysWith: { first, _ in first })
        #expect(types["publications.nextdueat"]?[1] == "double precision")
        #expect(types["sessions.encryptedtoken"]?[1] == "bytea")
        #expect(types["publications.id"]?[2] == "C")
        #expect(types["articles.id"]?[1] == "bigint")
    }

    @Test func migratingAgainChangesNothing() async throws {
        let (store, url) = try await StorageEngine.makePostgresStore()
        let before = try await Self.schema(of: store)
        try await store.migrate()
        try await store.migrate()
        let reopened = try await PostgresStore.open(url: url)
        #expect(try await Self.schema(of: store) == before)
        #expect(try await Self.appliedMigrations(of: store) == Self.knownMigrations)
        await reopened.close()
    }

    @Test func aDatabaseMigratedByANewerNewsroomIsRefused() async throws {
        let (store, url) = try await StorageEngine.makePostgresStore()
        _ = try await store.textRows(unsafeSQL: "INSERT INTO schema_migrations (identifier) VALUES ('v99-from-the-future')")
        let before = try await Self.schema(of: store)
        await #expect(throws: StorageError.newerSchema(path: url.redacted, unknownMigrations: ["v99-from-the-future"])) {
            try await store.migrate()
        }
        do {
            let other = try await PostgresStore.open(url: url)
            await other.close()
            Issue.record("opened a database with an unknown migration")
        } catch {
            #expect(error == .newerSchema(path: url.redacted, unknownMigrations: ["v99-from-the-future"]))
        }
        #expect(try await Self.schema(of: store) == before, "nothing was touched")
    }

    /// Several instances starting at once on an empty database: one applies the migrations under the advisory lock,
    /// the others wait for it and find nothing to do (a second apply would fail on the tables that exist).
    @Test func instancesStartingAtOnceMigrateOnce() async throws {
        guard let server = StorageEngine.postgresServer.map({ try? PostgresURL($0) }) ?? nil else {
            Issue.record("\(StorageEngine.postgresURLVariable) is not set")
            return
        }
        let name = "newsroom_test_concurrent_" + String(UInt32.random(in: 0...UInt32.max))
        try await PostgresStore.createDatabase(named: name, on: server)
        let url = server.replacingDatabase(with: name)
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresStore.open(url: url) } }
            var stores: [PostgresStore] = []
            for try await store in group { stores.append(store) }
            return stores
        }
        #expect(stores.count == 4)
        if let first = stores.first {
            #expect(try await Self.appliedMigrations(of: first) == Self.knownMigrations)
            try await first.syncCatalog(catalog(2), now: epoch)
            #expect(try await stores.last?.publications().count == 2, "every instance sees the one schema")
        }
        for store in stores { await store.close() }
        try await PostgresStore.dropDatabase(named: name, on: server)
    }
}

import Foundation
import PostgresStorage
import Storage

/// Which engines the contract suite runs against.
public enum StorageEngine: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    /// The PostgreSQL server the tests may use: a superuser that can create databases, e.g.
    /// `postgres://newsroom@127.0.0.1:PORT/postgres?sslmode=disable` (`make test` starts one through
    /// scripts/with-postgres.sh). Unset or empty: no server.
    public static let postgresURLVariable = "NEWSROOM_TEST_POSTGRES_URL"

    /// SQLite always; PostgreSQL when `NEWSROOM_TEST_POSTGRES_URL` names a server, and also when it does not but
    /// `NEWSROOM_E2E=1` asks for every test: then the PostgreSQL runs fail (`makeStore` says the variable is
    /// missing) instead of quietly leaving the engine out.
    public static var available: [StorageEngine] {
        postgresServer != nil || mandatory ? [.sqlite, .postgres] : [.sqlite]
    }

    /// Whether a PostgreSQL server was named (tests that need one use `.enabled(if:)` with this).
    public static var hasPostgresServer: Bool { postgresServer != nil }

    /// `NEWSROOM_E2E=1`: a test that cannot run must fail, not skip.
    public static var mandatory: Bool { ProcessInfo.processInfo.environment["NEWSROOM_E2E"] == "1" }

    /// The server's URL as the environment gives it, nil when unset or empty.
    public static var postgresServer: String? {
        guard let value = ProcessInfo.processInfo.environment[postgresURLVariable], !value.isEmpty else { return nil }
        return value
    }

    public var description: String { rawValue }

    /// A fresh, empty, migrated store of this engine: SQLite in a temporary file (deleted with the store);
    /// PostgreSQL in a new database `newsroom_test_<random>` on the server, with its client running, dropped once the
    /// store and every copy of it (`limitingWaits`) are gone.
    public func makeStore() async throws -> any Store {
        switch self {
        case .sqlite:
            return try SQLiteStore.temporary()
        case .postgres:
            let (store, _) = try await Self.makePostgresStore()
            return store
        }
    }

    /// A new, empty database on the test server, and its URL as text (what `--database`/`DATABASE_URL` take), for a
    /// whole app or a `newsroom serve` process to open and migrate. Never dropped: the test cluster is thrown away
    /// at the end of the run.
    public static func makePostgresDatabaseURL() async throws -> String {
        guard let text = postgresServer, var components = URLComponents(string: text) else {
            throw StorageEngineError("\(postgresURLVariable) is not set: run the tests through `make test` or scripts/with-postgres.sh")
        }
        let name = "newsroom_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        try await PostgresStore.createDatabase(named: name, on: try PostgresURL(text))
        components.path = "/" + name
        guard let url = components.string else { throw StorageEngineError("cannot build a database URL from \(postgresURLVariable)") }
        return url
    }

    /// A fresh PostgreSQL store as `makeStore()` makes it, typed, with the URL of its database (for tests that open
    /// a second store on the same database, as a second instance would).
    public static func makePostgresStore() async throws -> (store: PostgresStore, url: PostgresURL) {
        guard let text = postgresServer else {
            throw StorageEngineError("\(postgresURLVariable) is not set: run the tests through `make test` or scripts/with-postgres.sh")
        }
        let server = try PostgresURL(text)
        let name = "newsroom_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        try await PostgresStore.createDatabase(named: name, on: server)
        let url = server.replacingDatabase(with: name)
        let store: PostgresStore
        do {
            store = try await PostgresStore.open(url: url, startupTimeout: .seconds(30))
        } catch {
            try? await PostgresStore.dropDatabase(named: name, on: server)
            throw error
        }
        store.afterLastUse { try? await PostgresStore.dropDatabase(named: name, on: server) }
        return (store, url)
    }
}

/// Why a test store could not be made.
public struct StorageEngineError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}

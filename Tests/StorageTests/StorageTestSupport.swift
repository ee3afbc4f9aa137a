import Foundation
import GRDB
import PostgresStorage
import Storage
import StorageTestSupport
import Testing

/// A fixed instant the tests count from; Storage never reads the clock, so neither do the tests.
let epoch = Date(timeIntervalSince1970: 1_800_000_000)

/// `epoch` plus some minutes.
func minute(_ minutes: Double) -> Date { epoch.addingTimeInterval(minutes * 60) }

/// A folder under the system temp dir, removed when the value goes away.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("storage-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    var databasePath: String { path + "/newsroom.sqlite" }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

let bbc = PublicationConfig(id: "bbc", name: "BBC News", url: "https://feeds.bbci.co.uk/news/rss.xml", refreshMinutes: 15)
let cnn = PublicationConfig(id: "cnn", name: "CNN", url: "http://rss.cnn.com/rss/edition.rss", refreshMinutes: 10)

/// A fresh store of `engine` with `bbc` and `cnn` in the catalog.
func storeWithCatalog(_ engine: StorageEngine) async throws -> any Store {
    let store = try await engine.makeStore()
    try await store.syncCatalog([bbc, cnn], now: epoch)
    return store
}

/// An article with a guid, dated `minute(n)`.
func item(_ n: Int, title: String? = nil) -> ArticleInput {
    ArticleInput(guid: "guid-\(n)", link: "https://example.com/\(n)", title: title ?? "Story \(n)",
                 summary: "Summary \(n)", published: minute(Double(n)))
}

extension Store {
    /// A successful 200 fetch at `at`, due again 15 minutes later.
    @discardableResult
    func fetched(_ articles: [ArticleInput], into id: String = "bbc", at: Date = epoch) async throws -> UpsertSummary {
        try await recordFetchSuccess(publicationID: id, articles: articles, etag: nil, lastModified: nil, httpStatus: 200,
                               fetchedAt: at, nextDueAt: at.addingTimeInterval(900))
    }
}

/// Two stores on one fresh database of `engine`, as two servers (or processes) would have them: for SQLite two
/// independent connection pools on one file, which meet only through its locks and the WAL; for PostgreSQL two
/// clients, each with its own connection pool, on one database. Both are migrated; the second is closed afterwards.
func withTwoStores<T>(_ engine: StorageEngine, _ body: (_ first: any Store, _ second: any Store) async throws -> T) async throws -> T {
    switch engine {
    case .sqlite:
        let folder = try TemporaryFolder()
        let result = try await body(try SQLiteStore(path: folder.databasePath), try SQLiteStore(path: folder.databasePath))
        withExtendedLifetime(folder) {}
        return result
    case .postgres:
        let (first, url) = try await StorageEngine.makePostgresStore()
        let second = try await PostgresStore.open(url: url)
        do {
            let result = try await body(first, second)
            await second.close()
            return result
        } catch {
            await second.close()
            throw error
        }
    }
}

/// Runs constant SQL on the store's database behind its back, as another tool (a bulk import, an operator's shell)
/// would: for SQLite through a connection GRDB opens on the file, for PostgreSQL through a client of its own.
func writeBehindTheStoresBack(_ store: any Store, sql: String) async throws {
    switch store {
    case let sqlite as SQLiteStore:
        let queue = try DatabaseQueue(path: sqlite.path)
        try await queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    case let postgres as PostgresStore:
        let other = try await PostgresStore.open(url: postgres.url)
        do {
            _ = try await other.textRows(unsafeSQL: sql)
        } catch {
            await other.close()
            throw error
        }
        await other.close()
    default:
        Issue.record("no way to write behind the back of a \(type(of: store))")
    }
}

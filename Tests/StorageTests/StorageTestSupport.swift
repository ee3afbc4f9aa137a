import Foundation
import Storage

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

/// A store with `bbc` and `cnn` in the catalog.
func storeWithCatalog() async throws -> SQLiteStore {
    let store = try SQLiteStore.temporary()
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

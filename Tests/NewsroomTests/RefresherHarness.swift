import Foundation
import TestSupport
import Logging
import Testing
import Curl
import Storage
@testable import Newsroom

/// A real FeedRefresher over a real CurlClient and a real SQLite file, with a clock the test moves.
struct RefresherHarness {
    let clock = TestClock()
    let store: any Store
    let refresher: FeedRefresher
    let dependencies: AppDependencies

    /// - Parameters:
    ///   - jitter: backoff jitter; random by default, since the assertions must hold for any value in [0, 1).
    ///   - transferTimeout: caps the whole transfer and the low-speed window, so a stalling server fails fast.
    ///   - onChange: told the id of every publication whose stored state changed.
    init(jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, transferTimeout: Duration = .seconds(10),
         onChange: @escaping @Sendable (String) -> Void = { _ in }) throws {
        store = try SQLiteStore.temporary()
        let client = CurlClient()
        let clock = self.clock
        dependencies = AppDependencies(
            now: { clock.now },
            jitter: jitter,
            randomBytes: { Array(repeating: 7, count: $0) },
            http: { request throws(CurlError) in
                var request = request
                request.totalTimeout = min(request.totalTimeout, transferTimeout)
                request.lowSpeedWindow = min(request.lowSpeedWindow, transferTimeout)
                return try await client.send(request)
            })
        refresher = FeedRefresher(store: store, dependencies: dependencies, logger: .quiet, onChange: onChange)
    }

    /// Makes these the stored catalog (due now).
    func register(_ publications: [(id: String, url: String)], refreshMinutes: Int = 15) async throws {
        try await store.syncCatalog(publications.map { PublicationConfig(id: $0.id, name: $0.id.uppercased(), url: $0.url, refreshMinutes: refreshMinutes) },
                              now: clock.now)
    }

    func record(_ id: String) async throws -> PublicationRecord {
        try #require(try await store.publication(id: id))
    }

    func refresh(_ id: String) async throws -> RefreshResult {
        await refresher.refresh(try record(id))
    }

    func headline(_ id: String) async throws -> String? { try await store.currentHeadline(of: id)?.title }

    func articles(_ id: String) async throws -> [ArticleRecord] { try await store.recentArticles(of: id, limit: 1000) }
}

extension Logger {
    /// Tests assert on stored state and results, not on log lines.
    static var quiet: Logger {
        var logger = Logger(label: "newsroom.tests")
        logger.logLevel = .critical
        return logger
    }
}

extension RefreshResult.Status {
    var failureMessage: String? { if case .failed(let message) = self { message } else { nil } }
    var isUpdated: Bool { if case .updated = self { true } else { false } }
}

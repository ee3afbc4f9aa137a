import Foundation
import Logging
import Testing
import TestSupport
import Curl
import Storage
@testable import Newsroom

/// A scrape parsed into samples: `name{label="value",…} number` lines, comments skipped.
struct Scrape {
    struct Sample { var name: String; var labels: [String: String]; var value: Double }
    let samples: [Sample]
    let text: String

    init(_ bytes: [UInt8]) {
        text = String(decoding: bytes, as: UTF8.self)
        samples = text.split(separator: "\n").compactMap { line -> Sample? in
            guard !line.hasPrefix("#"), let match = line.wholeMatch(of: /([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/) else { return nil }
            var labels: [String: String] = [:]
            for pair in (match.2 ?? "").matches(of: /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/) { labels[String(pair.1)] = String(pair.2) }
            return Sample(name: String(match.1), labels: labels, value: Double(match.3) ?? .nan)
        }
    }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    func series(_ name: String) -> [Sample] { samples.filter { $0.name == name } }
}

/// The app's own counters and the gauges read from the database when scraped.
@Suite struct MetricsTests {
    let clock = TestClock()

    func exposition(_ store: any Store, metrics: AppMetrics = AppMetrics(), pageCache: PageCacheLookups = PageCacheLookups(),
                    idleTimeout: TimeInterval = 3600) -> MetricsExposition {
        let clock = self.clock
        return MetricsExposition(metrics: metrics, pageCache: pageCache, store: store, idleTimeout: idleTimeout, now: { clock.now },
                                 logger: Logger(label: "metrics-tests") { _ in SwiftLogNoOpLogHandler() })
    }

    static func result(_ id: String, _ status: RefreshResult.Status, seconds: Double = 0.3) -> RefreshResult {
        RefreshResult(publicationID: id, status: status, httpStatus: nil, articleCount: 0, seconds: seconds, nextDueAt: Date())
    }

    @Test func fetchOutcomesAreCountedByPublicationAndDurationsHistogrammed() {
        let metrics = AppMetrics()
        metrics.record(Self.result("bbc", .updated(inserted: 3, updated: 0), seconds: 0.07))
        metrics.record(Self.result("bbc", .notModified, seconds: 0.2))
        metrics.record(Self.result("bbc", .notModified, seconds: 4))
        metrics.record(Self.result("cnn", .failed("HTTP 500"), seconds: 40))
        // Shutdown cut it short: nobody's failure.
        metrics.record(Self.result("cnn", .failed(String(describing: CurlError.cancelled))))
        let scrape = Scrape(metrics.registry.emitToBuffer())
        #expect(scrape.value("newsroom_feed_fetches_total", ["publication": "bbc", "outcome": "updated"]) == 1)
        #expect(scrape.value("newsroom_feed_fetches_total", ["publication": "bbc", "outcome": "not_modified"]) == 2)
        #expect(scrape.value("newsroom_feed_fetches_total", ["publication": "cnn", "outcome": "failed"]) == 1)
        #expect(scrape.value("newsroom_feed_fetch_duration_seconds_count") == 4)
        #expect(scrape.value("newsroom_feed_fetch_duration_seconds_bucket", ["le": "0.1"]) == 1)
        #expect(scrape.value("newsroom_feed_fetch_duration_seconds_bucket", ["le": "5.0"]) == 3)
        #expect(scrape.value("newsroom_feed_fetch_duration_seconds_bucket", ["le": "+Inf"]) == 4)
    }

    @Test func signInsAreCountedByOutcomeAndReasonCodeNeverByLogin() {
        let metrics = AppMetrics()
        metrics.signInAdmitted(rule: "member of acme")
        metrics.signInAdmitted(rule: "member of acme/editors")
        metrics.signInAdmitted(rule: "listed user octocat")
        metrics.signInAdmitted(rule: "any GitHub user")
        metrics.signInDenied(.notMember(rules: "members of acme"))
        metrics.signInDenied(.notMember(rules: "members of acme"))
        metrics.signInDenied(.restricted(org: "acme", approvalURL: "https://github.com/orgs/acme/policies/applications/1"))
        let scrape = Scrape(metrics.registry.emitToBuffer())
        for reason in ["org-member", "team-member", "listed-user", "any-user"] {
            #expect(scrape.value("newsroom_sign_ins_total", ["outcome": "admitted", "reason": reason]) == 1, "\(reason)")
        }
        #expect(scrape.value("newsroom_sign_ins_total", ["outcome": "denied", "reason": "not-member"]) == 2)
        #expect(scrape.value("newsroom_sign_ins_total", ["outcome": "denied", "reason": "org-restricted"]) == 1)
        for leaked in ["octocat", "acme", "https://", "editors"] { #expect(!scrape.text.contains(leaked), "a label carries \(leaked)") }
    }

    @Test func databaseGaugesAreReadWhenScrapedSoTheyAreNeverStale() async throws {
        let store = try SQLiteStore.temporary()
        let now = clock.now
        try await store.syncCatalog([PublicationConfig(id: "bbc", name: "BBC", url: "https://bbc.example/rss", refreshMinutes: 15),
                               PublicationConfig(id: "cnn", name: "CNN", url: "https://cnn.example/rss", refreshMinutes: 15)], now: now)
        let exposition = exposition(store)

        // Nothing fetched yet: counts are 0, and there is no last success to report.
        var scrape = await Scrape(exposition.render())
        #expect(scrape.value("newsroom_articles", ["publication": "bbc"]) == 0)
        #expect(scrape.value("newsroom_feed_consecutive_failures", ["publication": "cnn"]) == 0)
        #expect(scrape.series("newsroom_feed_last_success_timestamp_seconds").isEmpty)
        #expect(scrape.value("newsroom_sessions_active") == 0)

        try await store.recordFetchSuccess(publicationID: "bbc", articles: (1...3).map { ArticleInput(guid: "g\($0)", title: "Story \($0)") },
                                     etag: nil, lastModified: nil, httpStatus: 200, fetchedAt: now, nextDueAt: now.addingTimeInterval(900))
        try await store.recordFetchFailure(publicationID: "cnn", error: "HTTP 500", httpStatus: 500, at: now, nextDueAt: now.addingTimeInterval(60))
        try await store.recordFetchFailure(publicationID: "cnn", error: "HTTP 500", httpStatus: 500, at: now, nextDueAt: now.addingTimeInterval(60))
        scrape = await Scrape(exposition.render())
        #expect(scrape.value("newsroom_articles", ["publication": "bbc"]) == 3)
        #expect(scrape.value("newsroom_feed_last_success_timestamp_seconds", ["publication": "bbc"]) == now.timeIntervalSince1970)
        #expect(scrape.value("newsroom_feed_last_success_timestamp_seconds", ["publication": "cnn"]) == nil)
        #expect(scrape.value("newsroom_feed_consecutive_failures", ["publication": "cnn"]) == 2)

        // A publication that leaves feeds.json leaves the output with the next scrape.
        try await store.syncCatalog([PublicationConfig(id: "bbc", name: "BBC", url: "https://bbc.example/rss", refreshMinutes: 15)], now: now)
        scrape = await Scrape(exposition.render())
        #expect(scrape.samples.allSatisfy { $0.labels["publication"] != "cnn" })
        #expect(scrape.value("newsroom_articles", ["publication": "bbc"]) == 3)
    }

    @Test func activeSessionsFollowTheClockAndTheLimits() async throws {
        let store = try SQLiteStore.temporary()
        let start = clock.now
        try await store.upsertUser(UserRecord(githubID: 1, login: "octocat", createdAt: start, updatedAt: start))
        func session(_ id: String, lastSeen: TimeInterval, absolute: TimeInterval) async throws {
            try await store.createSession(SessionRecord(idHash: id, githubID: 1, csrfToken: "c-\(id)", encryptedToken: [1], admittedBy: "org",
                                                  membershipCheckedAt: start, lastGoodCheckAt: start, createdAt: start,
                                                  lastSeenAt: start.addingTimeInterval(lastSeen), absoluteExpiresAt: start.addingTimeInterval(absolute)))
        }
        try await session("fresh", lastSeen: 0, absolute: 7200)
        try await session("idle-soon", lastSeen: -3000, absolute: 7200)
        try await session("ended", lastSeen: 0, absolute: 0)
        let exposition = exposition(store, idleTimeout: 3600)
        await #expect(Scrape(exposition.render()).value("newsroom_sessions_active") == 2)
        clock.advance(by: 600)  // idle-soon passes its idle limit
        await #expect(Scrape(exposition.render()).value("newsroom_sessions_active") == 1)
        clock.advance(by: 7200)
        await #expect(Scrape(exposition.render()).value("newsroom_sessions_active") == 0)
    }

    @Test func pageCacheLookupsAreCounted() async throws {
        let lookups = PageCacheLookups()
        #expect(lookups.counted(Optional<Int>.none) == nil)
        #expect(lookups.counted(Optional(7)) == 7)
        #expect(lookups.counted(Optional(8)) == 8)
        let scrape = await Scrape(exposition(try SQLiteStore.temporary(), pageCache: lookups).render())
        #expect(scrape.value("newsroom_page_cache_hits_total") == 2)
        #expect(scrape.value("newsroom_page_cache_misses_total") == 1)
    }

    /// A database that cannot be read leaves its gauges out (never a stale value) and the counters still answer.
    @Test func anUnreadableDatabaseLeavesOnlyItsGaugesOut() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try SQLiteStore(path: folder + "/newsroom.sqlite")
        try await store.syncCatalog([PublicationConfig(id: "bbc", name: "BBC", url: "https://bbc.example/rss", refreshMinutes: 15)], now: clock.now)
        let metrics = AppMetrics()
        metrics.record(Self.result("bbc", .notModified))
        let exposition = exposition(store, metrics: metrics)
        await #expect(Scrape(exposition.render()).value("newsroom_articles", ["publication": "bbc"]) == 0)
        let run = try ChildProcess.run("/usr/bin/sqlite3", [folder + "/newsroom.sqlite", "ALTER TABLE sessions RENAME TO sessions_away;"], mergingErrors: true)
        try #require(run.status == 0)
        let scrape = await Scrape(exposition.render())
        #expect(scrape.series("newsroom_articles").isEmpty)
        #expect(scrape.series("newsroom_sessions_active").isEmpty)
        #expect(scrape.value("newsroom_feed_fetches_total", ["publication": "bbc", "outcome": "not_modified"]) == 1)
    }
}

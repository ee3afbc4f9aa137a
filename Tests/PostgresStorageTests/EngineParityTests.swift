import Foundation
import PostgresStorage
import Storage
import StorageTestSupport
import Testing

/// The same script of calls on a fresh SQLite store and a fresh PostgreSQL store: every answer (value or error) must
/// be equal, step by step. A cross-check of this engine while the shared contract suite grows; the script leans on
/// the edge cases (duplicate keys in one fetch, negative limits, NULL ordering, retention, flash, trimming).
@Suite("PostgreSQL answers as SQLite does", needsServer)
struct EngineParityTests {
    @Test func theSameCallsGiveTheSameAnswers() async throws {
        let sqlite = try await StorageEngine.sqlite.makeStore()
        let postgres = try await StorageEngine.postgres.makeStore()
        let expected = await Script.run(on: sqlite)
        let actual = await Script.run(on: postgres)
        #expect(expected.count == actual.count)
        for (sqliteEntry, postgresEntry) in zip(expected, actual) {
            #expect(sqliteEntry.label == postgresEntry.label)
            if !sqliteEntry.matches(postgresEntry) {
                Issue.record("\(sqliteEntry.label): SQLite \(sqliteEntry.shown)\n  PostgreSQL \(postgresEntry.shown)")
            }
        }
    }
}

/// One step's answer, comparable across engines.
struct Entry: Sendable {
    let label: String
    let shown: String
    let value: any Sendable
    let equals: @Sendable (any Sendable) -> Bool

    func matches(_ other: Entry) -> Bool { equals(other.value) }
}

/// Records each call's answer (or error) under a label.
final class Transcript {
    private(set) var entries: [Entry] = []

    func step<T: Equatable & Sendable>(_ label: String, _ call: () async throws -> T) async {
        let outcome: Result<T, StorageError>
        do {
            outcome = .success(try await call())
        } catch let error as StorageError {
            outcome = .failure(error)
        } catch {
            outcome = .failure(.database(operation: "not a StorageError", reason: "\(type(of: error))"))
        }
        entries.append(Entry(label: label, shown: "\(outcome)", value: outcome, equals: { ($0 as? Result<T, StorageError>) == outcome }))
    }

    /// A call that answers nothing: only whether it threw, and what.
    func step(_ label: String, _ call: () async throws -> Void) async {
        await step(label) { () async throws -> Bool in
            try await call()
            return true
        }
    }
}

enum Script {
    /// Times with fractions of a second: both engines must give them back exactly.
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000.123_456_7)
    static func at(_ minutes: Double) -> Date { t0.addingTimeInterval(minutes * 60 + 0.000_001) }

    static let bbc = PublicationConfig(id: "bbc", name: "BBC News", url: "https://bbc.example/rss", refreshMinutes: 15)
    static let cnn = PublicationConfig(id: "cnn", name: "CNN", url: "https://cnn.example/rss", refreshMinutes: 10)
    static let ap = PublicationConfig(id: "ap", name: "AP", url: "https://ap.example/rss", refreshMinutes: 5)
    static let odd = PublicationConfig(id: "Zé\u{301}", name: "Odd 'name'; --", url: "https://odd.example/rss", refreshMinutes: 60)

    static func item(_ n: Int, title: String? = nil, published: Date? = nil) -> ArticleInput {
        ArticleInput(guid: "guid-\(n)", link: "https://example.com/\(n)", title: title ?? "Story \(n)", summary: "Summary \(n)",
                     published: published)
    }

    static func run(on store: any Store) async -> [Entry] {
        let log = Transcript()
        await publications(store, log)
        await articles(store, log)
        await retentionAndCatalogChanges(store, log)
        await accounts(store, log)
        return log.entries
    }

    static func publications(_ store: any Store, _ log: Transcript) async {
        await log.step("duplicate ids") { try await store.syncCatalog([bbc, cnn, bbc], now: t0) }
        await log.step("sync") { try await store.syncCatalog([bbc, cnn, ap, odd], now: t0) }
        await log.step("sync again") { try await store.syncCatalog([bbc, cnn, ap, odd], now: t0) }
        await log.step("publications") { try await store.publications() }
        await log.step("page 2 of 3") { try await store.publications(offset: 2, limit: 2) }
        await log.step("page past the end") { try await store.publications(offset: 9, limit: 2) }
        await log.step("negative page") { try await store.publications(offset: -3, limit: -1) }
        await log.step("due") { try await store.duePublications(now: t0) }
        await log.step("due before") { try await store.duePublications(now: at(-1)) }
        await log.step("summary, nothing fetched") { try await store.catalogSummary() }
        await log.step("claim none") { try await store.claimDuePublications(now: t0, leaseUntil: at(5), limit: -4) }
        await log.step("claim two") { try await store.claimDuePublications(now: t0, leaseUntil: at(5), limit: 2) }
        await log.step("publication by id") { try await store.publication(id: "Zé\u{301}") }
        await log.step("publication by composed id") { try await store.publication(id: "Z\u{E9}") }
        await log.step("unknown publication") { try await store.publication(id: "nope") }
    }

    static func articles(_ store: any Store, _ log: Transcript) async {
        let longTitle = String(repeating: "long✓", count: 300)
        let first: [ArticleInput] = [
            item(1, published: at(-30)),
            ArticleInput(guid: "guid-1", title: "Duplicate that must lose"),
            ArticleInput(guid: "  ", link: "https://example.com/link-only", title: "Blank guid falls back to the link"),
            ArticleInput(title: "Hash only", summary: "no guid, no link"),
            ArticleInput(guid: "undated", title: longTitle, author: "Ann"),
            item(2, published: at(-30)),
        ]
        await log.step("first fetch") {
            try await store.recordFetchSuccess(publicationID: "bbc", articles: first, etag: "\"e1\"", lastModified: "Mon",
                                               httpStatus: 200, fetchedAt: at(1), nextDueAt: at(16))
        }
        await log.step("headline") { try await store.currentHeadline(of: "bbc") }
        await log.step("recent 10") { try await store.recentArticles(of: "bbc", limit: 10) }
        await log.step("recent -1") { try await store.recentArticles(of: "bbc", limit: -1) }
        await log.step("recent 2") { try await store.recentArticles(of: "bbc", limit: 2) }
        await log.step("count") { try await store.articleCount(of: "bbc") }
        await log.step("count of unknown") { try await store.articleCount(of: "nope") }
        await log.step("publication after fetch") { try await store.publication(id: "bbc") }

        let second: [ArticleInput] = [
            item(3, published: at(10)),
            item(1, published: at(-30)),
            ArticleInput(guid: "  ", link: "https://example.com/link-only", title: "Blank guid, new title"),
            ArticleInput(title: "Hash only", summary: "no guid, no link"),
        ]
        await log.step("second fetch") {
            try await store.recordFetchSuccess(publicationID: "bbc", articles: second, etag: nil, lastModified: nil,
                                               httpStatus: 200, fetchedAt: at(16), nextDueAt: at(31))
        }
        await log.step("recent after second") { try await store.recentArticles(of: "bbc", limit: 50) }
        await log.step("same again") {
            try await store.recordFetchSuccess(publicationID: "bbc", articles: second, etag: nil, lastModified: nil,
                                               httpStatus: 200, fetchedAt: at(31), nextDueAt: at(46))
        }
        await log.step("reordered only") {
            try await store.recordFetchSuccess(publicationID: "bbc", articles: Array(second.reversed()), etag: nil, lastModified: nil,
                                               httpStatus: 200, fetchedAt: at(46), nextDueAt: at(61))
        }
        await log.step("contentChangedAt moved by the new headline") { try await store.publication(id: "bbc") }
        await log.step("not modified") { try await store.recordNotModified(publicationID: "cnn", fetchedAt: at(2), nextDueAt: at(12)) }
        await log.step("failure") {
            try await store.recordFetchFailure(publicationID: "ap", error: "HTTP 503", httpStatus: 503, at: at(3), nextDueAt: at(8))
        }
        await log.step("failure again") {
            try await store.recordFetchFailure(publicationID: "ap", error: "timed out", httpStatus: nil, at: at(8), nextDueAt: at(13))
        }
        await log.step("success of unknown") {
            try await store.recordFetchSuccess(publicationID: "nope", articles: [item(1)], etag: nil, lastModified: nil,
                                               httpStatus: 200, fetchedAt: at(1), nextDueAt: at(2))
        }
        await log.step("not modified of unknown") { try await store.recordNotModified(publicationID: "nope", fetchedAt: at(1), nextDueAt: at(2)) }
        await log.step("failure of unknown") {
            try await store.recordFetchFailure(publicationID: "nope", error: "x", httpStatus: nil, at: at(1), nextDueAt: at(2))
        }
        await log.step("headlines") { try await store.headlines() }
        await log.step("home page 1") { try await store.headlines(offset: 0, limit: 3) }
        await log.step("home page 2") { try await store.headlines(offset: 3, limit: 3) }
        await log.step("home page past the end") { try await store.headlines(offset: 30, limit: 3) }
        await log.step("failing first") { try await store.publicationsFailingFirst(offset: 0, limit: 10) }
        await log.step("summary") { try await store.catalogSummary() }
        await log.step("empty fetch drops the headline") {
            try await store.recordFetchSuccess(publicationID: "bbc", articles: [], etag: nil, lastModified: nil,
                                               httpStatus: 200, fetchedAt: at(61), nextDueAt: at(76))
        }
        await log.step("no headline") { try await store.currentHeadline(of: "bbc") }
        await log.step("publication after empty fetch") { try await store.publication(id: "bbc") }
    }

    static func retentionAndCatalogChanges(_ store: any Store, _ log: Transcript) async {
        for round in 0..<5 {
            await log.step("cnn fetch \(round)") {
                let items = [item(100 + round * 2, published: round == 2 ? nil : at(Double(round))), item(101 + round * 2)]
                return try await store.recordFetchSuccess(publicationID: "cnn", articles: items, etag: nil, lastModified: nil,
                                                          httpStatus: 200, fetchedAt: at(Double(100 + round)), nextDueAt: at(200))
            }
        }
        await log.step("retention, negative keep") { try await store.applyArticleRetention(keep: -1) }
        await log.step("retention to 3") { try await store.applyArticleRetention(keep: 3) }
        await log.step("kept") { try await store.recentArticles(of: "cnn", limit: 100) }
        await log.step("counts") { [try await store.articleCount(of: "cnn"), try await store.articleCount(of: "bbc")] }
        await log.step("retention to 0") { try await store.applyArticleRetention(keep: 0) }
        await log.step("kept at 0") { try await store.recentArticles(of: "cnn", limit: 100) }
        await log.step("drop ap, move cnn") {
            try await store.syncCatalog([bbc, PublicationConfig(id: "cnn", name: "CNN", url: "https://cnn.example/new", refreshMinutes: 10), odd],
                                        now: at(300))
        }
        await log.step("ap inactive") { try await store.publication(id: "ap") }
        await log.step("cnn moved") { try await store.publication(id: "cnn") }
        await log.step("ap back") { try await store.syncCatalog([ap, bbc, cnn, odd], now: at(400)) }
        await log.step("ap back, due") { try await store.publication(id: "ap") }
        await log.step("all due") { try await store.duePublications(now: at(400)) }
        await log.step("optimize") { try await store.optimize() }
    }

    static func accounts(_ store: any Store, _ log: Transcript) async {
        let ann = UserRecord(githubID: 42, login: "ann", name: "Ann", avatarURL: nil, createdAt: at(1), updatedAt: at(1))
        let session = SessionRecord(idHash: "h1", githubID: 42, csrfToken: "c1", encryptedToken: [0, 1, 2, 255], admittedBy: "org:acme",
                                    membershipCheckedAt: at(1), lastGoodCheckAt: at(1), createdAt: at(1), lastSeenAt: at(1),
                                    absoluteExpiresAt: at(600), tokenExpiresAt: at(480), encryptedRefreshToken: [9, 9])
        await log.step("session of unknown user") { try await store.createSession(session) }
        await log.step("user") { try await store.upsertUser(ann) }
        await log.step("renamed user") {
            try await store.upsertUser(UserRecord(githubID: 42, login: "ann2", name: nil, avatarURL: "https://a", createdAt: at(5), updatedAt: at(5)))
        }
        await log.step("unknown user") { try await store.user(githubID: 7) }
        await log.step("create session") { try await store.createSession(session) }
        await log.step("same session again") { try await store.createSession(session) }
        var second = session
        second.idHash = "h2"
        second.lastSeenAt = at(2)
        second.tokenExpiresAt = nil
        second.encryptedRefreshToken = nil
        await log.step("second session") { try await store.createSession(second) }
        await log.step("read") { try await store.session(idHash: "h1") }
        await log.step("touch") { try await store.touchSession(idHash: "h1", at: at(30)) }
        await log.step("touch unknown") { try await store.touchSession(idHash: "zz", at: at(30)) }
        await log.step("membership") { try await store.updateMembership(idHash: "h1", checkedAt: at(31), lastGoodCheckAt: at(30), admittedBy: "user:ann") }
        await log.step("tokens") { try await store.updateTokens(idHash: "h1", encryptedToken: [], encryptedRefreshToken: nil, tokenExpiresAt: nil) }
        await log.step("flash") { try await store.setFlash(idHash: "h1", "hello ✓") }
        await log.step("take flash") { try await store.takeFlash(idHash: "h1") }
        await log.step("take flash again") { try await store.takeFlash(idHash: "h1") }
        await log.step("flash of unknown") { try await store.takeFlash(idHash: "zz") }
        await log.step("read after") { try await store.session(idHash: "h1") }
        await log.step("active") { try await store.countActiveSessions(now: at(40), idleTimeout: 20 * 60) }
        await log.step("purge idle") { try await store.purgeExpiredSessions(now: at(40), idleTimeout: 20 * 60) }
        await log.step("delete several") { try await store.deleteSessions(idHashes: ["h1", "h2", "h3"]) }
        await log.step("delete none") { try await store.deleteSessions(idHashes: []) }
        await log.step("recreate") { try await store.createSession(session) }
        await log.step("delete by user") { try await store.deleteSessions(githubID: 42) }
        await log.step("recreate again") { try await store.createSession(second) }
        await log.step("delete one") { try await store.deleteSession(idHash: "h2") }
        await log.step("delete one again") { try await store.deleteSession(idHash: "h2") }
        await log.step("delete all") { try await store.deleteAllSessions() }

        for n in 0..<5 {
            // The last three share an expiry: of those, the later stored counts as newer (only two are kept).
            let attempt = LoginAttemptRecord(stateHash: "s\(n)", browserBindingHash: "b\(n)", pkceVerifier: n == 1 ? nil : "v\(n)",
                                             nextPath: "/p/\(n)", createdAt: at(Double(n)), expiresAt: at(Double(min(n, 2) + 10)))
            await log.step("attempt \(n)") { try await store.createLoginAttempt(attempt, maxPending: 2) }
        }
        await log.step("duplicate attempt") {
            try await store.createLoginAttempt(LoginAttemptRecord(stateHash: "s4", browserBindingHash: "b", pkceVerifier: nil, nextPath: "/",
                                                                  createdAt: at(0), expiresAt: at(1)))
        }
        for n in 0..<5 {
            await log.step("take \(n)") { try await store.takeLoginAttempt(stateHash: "s\(n)") }
        }
        await log.step("attempt for purge") {
            try await store.createLoginAttempt(LoginAttemptRecord(stateHash: "old", browserBindingHash: "b", pkceVerifier: nil, nextPath: "/",
                                                                  createdAt: at(0), expiresAt: at(1)))
        }
        await log.step("purge attempts") { try await store.purgeExpiredLoginAttempts(now: at(1)) }
    }
}

import Foundation
import Storage
import StorageTestSupport
import Testing

/// Strings that break naive SQL, encodings or comparisons. Compared as UTF-8 bytes: Swift's `==` would
/// call composed and decomposed "é" equal, and verbatim means byte for byte.
private let hostileStrings: [String] = [
    "Robert'); DROP TABLE articles; --",
    "\"quoted\" and 'single' and `back`",
    "100% _wild_ \\ escapes %' OR '1'='1",
    "e\u{301}t\u{E9}",                        // decomposed and composed é
    "עברית العربية 中文 日本語 🇺🇦👩‍👩‍👧‍👦",
    "\u{202E}reversed\u{202C} \u{FEFF}bom \u{200B}zero-width",
    "line\nbreak\r\ntab\tend",
    "<script>alert(1)</script>&amp;",
    String(repeating: "long✓", count: 40),
]

@Suite("Hostile strings are stored verbatim")
struct HostileInputTests {
    /// A feed's 200 000-character fields cost every page that shows them: titles and authors are cut, URLs
    /// (which a cut would break) are dropped, and the summary is kept.
    @Test(arguments: StorageEngine.available)
    func overlongFieldsAreBoundedWhenStored(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        let huge = String(repeating: "long✓", count: 40_000)
        let input = ArticleInput(guid: "g1", link: "https://news.example/" + huge, title: huge, summary: huge, author: huge,
                                 thumbnail: "https://img.example/" + huge)
        try await store.fetched([input])
        let stored = try #require(try await store.currentHeadline(of: "bbc"))
        #expect(stored.title?.count == ArticleInput.maxTitleCharacters)
        #expect(stored.title?.hasSuffix("…") == true)
        #expect(stored.title?.hasPrefix("long✓long✓") == true)
        #expect(stored.author?.count == ArticleInput.maxAuthorCharacters)
        #expect(stored.link == nil)
        #expect(stored.thumbnail == nil)
        #expect(stored.summary == huge)
        // Bounded the same way every time: the next fetch of the same item changes nothing.
        #expect(try await store.fetched([input], at: minute(15)) == UpsertSummary(inserted: 0, updated: 0, unchanged: 1))

        let fits = ArticleInput(guid: "g2", link: "https://news.example/" + String(repeating: "a", count: 2_000),
                                title: String(repeating: "t", count: 1_000), author: String(repeating: "a", count: 200))
        try await store.fetched([fits], at: minute(30))
        let kept = try #require(try await store.currentHeadline(of: "bbc"))
        #expect(kept.title == fits.title && kept.author == fits.author && kept.link == fits.link, "at the limit nothing is cut")
    }

    @Test(arguments: StorageEngine.available, hostileStrings)
    func articleFieldsRoundTrip(engine: StorageEngine, _ text: String) async throws {
        let store = try await storeWithCatalog(engine)
        let input = ArticleInput(guid: text, link: text, title: text, summary: text, author: text, thumbnail: text)
        try await store.fetched([input])
        let stored = try #require(try await store.currentHeadline(of: "bbc"))
        for field in [stored.link, stored.title, stored.summary, stored.author, stored.thumbnail] {
            #expect(field.map { Array($0.utf8) } == Array(text.utf8))
        }
        #expect(try await store.fetched([input], at: minute(15)) == UpsertSummary(inserted: 0, updated: 0, unchanged: 1))
    }

    @Test(arguments: StorageEngine.available, hostileStrings)
    func catalogAndAccountFieldsRoundTrip(engine: StorageEngine, _ text: String) async throws {
        let store = try await engine.makeStore()
        try await store.syncCatalog([PublicationConfig(id: text, name: text, url: text, refreshMinutes: 5)], now: epoch)
        let publication = try #require(try await store.publication(id: text))
        #expect(Array(publication.id.utf8) == Array(text.utf8) && Array(publication.name.utf8) == Array(text.utf8))
        try await store.recordFetchFailure(publicationID: text, error: text, httpStatus: nil, at: epoch, nextDueAt: epoch)
        #expect(try await store.publication(id: text)?.lastError.map { Array($0.utf8) } == Array(text.utf8))

        try await store.upsertUser(UserRecord(githubID: 1, login: text, name: text, avatarURL: text, createdAt: epoch, updatedAt: epoch))
        #expect(try await store.user(githubID: 1)?.login.utf8.elementsEqual(text.utf8) == true)
        try await store.createSession(SessionRecord(idHash: text, githubID: 1, csrfToken: text, encryptedToken: Array(text.utf8), admittedBy: text,
                                              membershipCheckedAt: epoch, lastGoodCheckAt: epoch, createdAt: epoch, lastSeenAt: epoch,
                                              absoluteExpiresAt: minute(60), flash: text))
        let session = try #require(try await store.session(idHash: text))
        #expect(session.csrfToken.utf8.elementsEqual(text.utf8) && session.encryptedToken == Array(text.utf8))
        #expect(try await store.takeFlash(idHash: text)?.utf8.elementsEqual(text.utf8) == true)
        try await store.createLoginAttempt(LoginAttemptRecord(stateHash: text, browserBindingHash: text, pkceVerifier: text, nextPath: text,
                                                        createdAt: epoch, expiresAt: minute(10)))
        #expect(try await store.takeLoginAttempt(stateHash: text)?.nextPath.utf8.elementsEqual(text.utf8) == true)
    }

    @Test(arguments: StorageEngine.available)
    func composedAndDecomposedGuidsAreDistinctKeys(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        try await store.fetched([ArticleInput(guid: "caf\u{E9}", title: "composed")])
        #expect(try await store.fetched([ArticleInput(guid: "cafe\u{301}", title: "decomposed")], at: minute(1)).inserted == 1)
    }

    @Test(arguments: StorageEngine.available)
    func articleWithNothingButDatesStillGetsAKey(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        let summary = try await store.fetched([ArticleInput(published: epoch), ArticleInput(updated: epoch)])
        // Both hash the same empty content: one article, the first wins.
        #expect(summary == UpsertSummary(inserted: 1, updated: 0, unchanged: 0))
        #expect(try await store.currentHeadline(of: "bbc")?.published == epoch)
    }

    @Test(arguments: StorageEngine.available)
    func tablesSurviveInjectionAttempts(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        try await store.fetched([ArticleInput(guid: "x'); DELETE FROM publications; --", title: "t")])
        #expect(try await store.publications().count == 2)
        #expect(try await store.publication(id: "bbc' OR '1'='1") == nil)
        #expect(try await store.recentArticles(of: "' OR 1=1 --", limit: 10).isEmpty)
    }
}

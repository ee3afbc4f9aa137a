import Foundation
import Storage
import StorageTestSupport
import Testing

@Suite("Recording fetch outcomes")
struct FetchStateTests {
    @Test(arguments: StorageEngine.available)
    func successStoresValidatorsAndSchedule(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        try await store.recordFetchSuccess(publicationID: "bbc", articles: [item(1)], etag: "W/\"abc\"", lastModified: "Tue, 24 Nov 2026 10:00:00 GMT",
                                     httpStatus: 200, fetchedAt: minute(1), nextDueAt: minute(16))
        let record = try #require(try await store.publication(id: "bbc"))
        #expect(record.etag == "W/\"abc\"" && record.lastModified == "Tue, 24 Nov 2026 10:00:00 GMT")
        #expect(record.lastFetchAttemptAt == minute(1) && record.lastSuccessAt == minute(1) && record.lastHTTPStatus == 200)
        #expect(record.nextDueAt == minute(16) && record.articleCount == 1)
        #expect(try await store.duePublications(now: minute(15)).map(\.id) == ["cnn"])
        #expect(try await store.duePublications(now: minute(16)).map(\.id) == ["cnn", "bbc"])
    }

    @Test(arguments: StorageEngine.available)
    func failureKeepsArticlesAndCountsUntilSuccessClearsIt(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        try await store.fetched([item(1), item(2)], at: epoch)
        let first = try await store.recordFetchFailure(publicationID: "bbc", error: "HTTP 503 from feeds.bbci.co.uk", httpStatus: 503,
                                                 at: minute(15), nextDueAt: minute(17))
        #expect(first.consecutiveFailures == 1 && first.failingSince == minute(15) && first.lastHTTPStatus == 503)
        #expect(first.lastError == "HTTP 503 from feeds.bbci.co.uk" && first.lastSuccessAt == epoch && first.nextDueAt == minute(17))
        let second = try await store.recordFetchFailure(publicationID: "bbc", error: "timed out after 30 s", httpStatus: nil,
                                                  at: minute(17), nextDueAt: minute(21))
        #expect(second.consecutiveFailures == 2 && second.failingSince == minute(15) && second.lastHTTPStatus == nil)
        #expect(second.lastError == "timed out after 30 s" && second.lastFetchAttemptAt == minute(17))
        #expect(try await store.articleCount(of: "bbc") == 2)
        #expect(try await store.currentHeadline(of: "bbc")?.title == "Story 1")

        try await store.fetched([item(3)], at: minute(21))
        let healed = try #require(try await store.publication(id: "bbc"))
        #expect(healed.consecutiveFailures == 0 && healed.failingSince == nil && healed.lastError == nil)
        #expect(healed.lastSuccessAt == minute(21) && healed.lastHTTPStatus == 200)
    }

    @Test(arguments: StorageEngine.available)
    func notModifiedCountsAsSuccessAndKeepsEverythingElse(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        try await store.recordFetchSuccess(publicationID: "bbc", articles: [item(1)], etag: "\"e\"", lastModified: "lm",
                                     httpStatus: 200, fetchedAt: epoch, nextDueAt: minute(15))
        try await store.recordFetchFailure(publicationID: "bbc", error: "connection refused", httpStatus: nil, at: minute(15), nextDueAt: minute(16))
        let record = try await store.recordNotModified(publicationID: "bbc", fetchedAt: minute(16), nextDueAt: minute(31))
        #expect(record.lastHTTPStatus == 304 && record.lastSuccessAt == minute(16) && record.lastFetchAttemptAt == minute(16))
        #expect(record.consecutiveFailures == 0 && record.failingSince == nil && record.lastError == nil)
        #expect(record.etag == "\"e\"" && record.lastModified == "lm" && record.nextDueAt == minute(31))
        #expect(try await store.currentHeadline(of: "bbc")?.title == "Story 1")
    }

    @Test(arguments: StorageEngine.available)
    func unknownPublicationIsATypedErrorForEveryOutcome(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        await #expect(throws: StorageError.unknownPublication(id: "nope")) { try await store.fetched([item(1)], into: "nope") }
        await #expect(throws: StorageError.unknownPublication(id: "nope")) {
            try await store.recordNotModified(publicationID: "nope", fetchedAt: epoch, nextDueAt: epoch)
        }
        await #expect(throws: StorageError.unknownPublication(id: "nope")) {
            try await store.recordFetchFailure(publicationID: "nope", error: "x", httpStatus: nil, at: epoch, nextDueAt: epoch)
        }
        #expect(try await store.articleCount(of: "nope") == 0)
    }
}

import Foundation
import PostgresStorage
import Storage
import StorageTestSupport
import Testing

/// Fetch leases: what lets several instances share one catalog without fetching a publication twice.
@Suite("PostgreSQL fetch leases", needsServer)
struct ClaimTests {
    /// Two instances (two stores, two connection pools, one database) claim in small batches, at the same time,
    /// until nothing is left: every publication is claimed exactly once.
    @Test func concurrentClaimersNeverGetTheSamePublication() async throws {
        let (first, url) = try await StorageEngine.makePostgresStore()
        let second = try await PostgresStore.open(url: url)
        let publications = catalog(60)
        try await first.syncCatalog(publications, now: epoch)

        let claims = try await withThrowingTaskGroup(of: [String].self) { group in
            for store in [first, second, first, second] {
                group.addTask {
                    var mine: [String] = []
                    while true {
                        let batch = try await store.claimDuePublications(now: minute(1), leaseUntil: minute(6), limit: 3)
                        if batch.isEmpty { return mine }
                        mine += batch.map(\.id)
                    }
                }
            }
            var all: [[String]] = []
            for try await claimed in group { all.append(claimed) }
            return all
        }
        let everything = claims.flatMap { $0 }
        #expect(everything.count == publications.count, "claimed \(everything.count) times for \(publications.count) publications")
        #expect(Set(everything) == Set(publications.map(\.id)))
        #expect(try await second.claimDuePublications(now: minute(2), leaseUntil: minute(7), limit: 100).isEmpty)
        await second.close()
    }

    @Test func aLeaseThatRanOutIsClaimedAgain() async throws {
        let (store, _) = try await StorageEngine.makePostgresStore()
        try await store.syncCatalog(catalog(3), now: epoch)
        let claimed = try await store.claimDuePublications(now: epoch, leaseUntil: minute(5), limit: 10)
        #expect(claimed.map(\.id) == ["p00", "p01", "p02"], "most overdue first, then catalog order")

        #expect(try await store.claimDuePublications(now: minute(4), leaseUntil: minute(9), limit: 10).isEmpty, "leased until minute 5")
        #expect(try await store.duePublications(now: minute(4)).count == 3, "duePublications ignores leases")
        // The instance that claimed them died: at minute 5 the leases have run out.
        let reclaimed = try await store.claimDuePublications(now: minute(5), leaseUntil: minute(10), limit: 2)
        #expect(reclaimed.map(\.id) == ["p00", "p01"])
        #expect(try await store.claimDuePublications(now: minute(5), leaseUntil: minute(10), limit: 2).map(\.id) == ["p02"])
    }

    @Test func recordingTheFetchEndsTheLease() async throws {
        let (store, _) = try await StorageEngine.makePostgresStore()
        try await store.syncCatalog(catalog(3), now: epoch)
        _ = try await store.claimDuePublications(now: epoch, leaseUntil: minute(60), limit: 3)
        // Each outcome leaves the publication due again at minute 1: with the lease gone it can be claimed then.
        try await store.recordFetchSuccess(publicationID: "p00", articles: [ArticleInput(guid: "a")], etag: nil, lastModified: nil,
                                           httpStatus: 200, fetchedAt: epoch, nextDueAt: minute(1))
        try await store.recordNotModified(publicationID: "p01", fetchedAt: epoch, nextDueAt: minute(1))
        try await store.recordFetchFailure(publicationID: "p02", error: "timed out", httpStatus: nil, at: epoch, nextDueAt: minute(1))
        let again = try await store.claimDuePublications(now: minute(1), leaseUntil: minute(2), limit: 10)
        #expect(again.map(\.id) == ["p00", "p01", "p02"])
    }

    @Test func aNegativeLimitClaimsNothing() async throws {
        let (store, _) = try await StorageEngine.makePostgresStore()
        try await store.syncCatalog(catalog(2), now: epoch)
        #expect(try await store.claimDuePublications(now: epoch, leaseUntil: minute(5), limit: -1).isEmpty)
        #expect(try await store.claimDuePublications(now: epoch, leaseUntil: minute(5), limit: 0).isEmpty)
        #expect(try await store.claimDuePublications(now: epoch, leaseUntil: minute(5), limit: 5).count == 2, "nothing was leased")
    }
}

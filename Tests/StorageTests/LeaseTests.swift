import Foundation
import Storage
import StorageTestSupport
import Testing

/// p0…p5 in catalog order, each due at the moment it is synced.
private let sixPublications = (0..<6).map {
    PublicationConfig(id: "p\($0)", name: "Publication \($0)", url: "https://news.example/\($0).xml", refreshMinutes: 15)
}

/// A store whose publications fall due at different times: by minute 10, p1 and p3 (due at minute 2, in catalog
/// order), p0 (minute 5) and p2 (minute 8) are due; p4 is due at minute 60; p5 left the catalog (it was due at epoch).
private func staggered(_ engine: StorageEngine) async throws -> any Store {
    let store = try await engine.makeStore()
    try await store.syncCatalog(sixPublications, now: epoch)
    try await store.recordFetchFailure(publicationID: "p0", error: "HTTP 500", httpStatus: 500, at: epoch, nextDueAt: minute(5))
    try await store.recordNotModified(publicationID: "p1", fetchedAt: epoch, nextDueAt: minute(2))
    try await store.recordFetchSuccess(publicationID: "p2", articles: [item(1)], etag: nil, lastModified: nil, httpStatus: 200,
                                       fetchedAt: epoch, nextDueAt: minute(8))
    try await store.recordNotModified(publicationID: "p3", fetchedAt: epoch, nextDueAt: minute(2))
    try await store.recordNotModified(publicationID: "p4", fetchedAt: epoch, nextDueAt: minute(60))
    try await store.syncCatalog(Array(sixPublications.prefix(5)), now: epoch)
    return store
}

/// `claimDuePublications`: how instances share the fetching. What is claimed is always due, active, most overdue first and
/// within the limit. Leases differ by engine, as `Store` documents: PostgreSQL serves several instances from one database,
/// so a claimed publication is kept off other claims until its lease runs out or its fetch is recorded; SQLite has one
/// server per file, nobody to share with, so a claim is `duePublications` bounded by the limit and leases nothing.
@Suite("Claiming due publications")
struct ClaimDuePublicationsTests {
    @Test(arguments: StorageEngine.available)
    func claimsDueActivePublicationsMostOverdueFirstWithinTheLimit(engine: StorageEngine) async throws {
        let store = try await staggered(engine)
        #expect(try await store.claimDuePublications(now: minute(1), leaseUntil: minute(2), limit: 10).isEmpty,
                "nothing active is due yet (p5 is, but it left the catalog)")
        #expect(try await store.claimDuePublications(now: minute(10), leaseUntil: minute(20), limit: -1).isEmpty, "a negative limit claims none")
        #expect(try await store.claimDuePublications(now: minute(10), leaseUntil: minute(20), limit: 0).isEmpty)

        let due = try await store.duePublications(now: minute(10))
        #expect(due.map(\.id) == ["p1", "p3", "p0", "p2"])
        let claimed = try await store.claimDuePublications(now: minute(10), leaseUntil: minute(20), limit: 3)
        #expect(claimed.map(\.id) == ["p1", "p3", "p0"])
        #expect(claimed == Array(due.prefix(3)), "the same records duePublications gives")
        #expect(try await store.duePublications(now: minute(10)) == due, "claiming changes nothing duePublications shows")
    }

    @Test(arguments: StorageEngine.available)
    func aClaimedPublicationIsNotClaimedAgainUntilItsLeaseEndsOnPostgreSQL(engine: StorageEngine) async throws {
        let store = try await staggered(engine)
        let first = try await store.claimDuePublications(now: minute(10), leaseUntil: minute(20), limit: 3)
        #expect(first.map(\.id) == ["p1", "p3", "p0"])

        // A second claim while the leases run.
        let second = try await store.claimDuePublications(now: minute(10), leaseUntil: minute(20), limit: 10)
        #expect(try await store.duePublications(now: minute(10)).map(\.id) == ["p1", "p3", "p0", "p2"], "due regardless of leases")

        // Recording each kind of outcome ends the lease; all three are due again at minute 11.
        try await store.recordFetchSuccess(publicationID: "p1", articles: [item(2)], etag: nil, lastModified: nil, httpStatus: 200,
                                           fetchedAt: minute(10), nextDueAt: minute(11))
        try await store.recordNotModified(publicationID: "p3", fetchedAt: minute(10), nextDueAt: minute(11))
        try await store.recordFetchFailure(publicationID: "p0", error: "timed out", httpStatus: nil, at: minute(10), nextDueAt: minute(11))
        let afterRecording = try await store.claimDuePublications(now: minute(12), leaseUntil: minute(30), limit: 10)

        // p2's lease (claimed at minute 10 until minute 20) has run out at minute 20; the others are leased until 30.
        let afterRunningOut = try await store.claimDuePublications(now: minute(20), leaseUntil: minute(40), limit: 10)
        let stillLeased = try await store.claimDuePublications(now: minute(29), leaseUntil: minute(40), limit: 10)

        switch engine {
        case .postgres:
            // Several instances share the database: a lease keeps the other claims off until it ends.
            #expect(second.map(\.id) == ["p2"], "p1, p3 and p0 are leased")
            #expect(afterRecording.map(\.id) == ["p0", "p1", "p3"], "recorded fetches ended their leases; p2 is still leased")
            #expect(afterRunningOut.map(\.id) == ["p2"], "p2's lease ran out; the others were leased again until minute 30")
            #expect(stillLeased.isEmpty, "everything is leased again")
        case .sqlite:
            // One server per file: no lease, a claim is what is due, bounded by the limit.
            #expect(second.map(\.id) == ["p1", "p3", "p0", "p2"])
            #expect(afterRecording.map(\.id) == ["p2", "p0", "p1", "p3"], "p2 (due at minute 8) first, then those due at minute 11")
            #expect(afterRunningOut.map(\.id) == ["p2", "p0", "p1", "p3"])
            #expect(stillLeased == (try await store.duePublications(now: minute(29))))
            #expect(try await store.claimDuePublications(now: minute(29), leaseUntil: minute(40), limit: 2).map(\.id) == ["p2", "p0"])
        }
    }
}

/// `claimLease`: how instances take turns at a job only one of them should run (housekeeping). On PostgreSQL one holder
/// at a time, until its lease runs out; on SQLite (one server per file, nobody to take turns with) always granted.
@Suite("Job leases")
struct JobLeaseTests {
    @Test(arguments: StorageEngine.available)
    func oneHolderAtATimeUntilTheLeaseRunsOut(engine: StorageEngine) async throws {
        let store = try await engine.makeStore()
        let aTakes = try await store.claimLease("housekeeping", holder: "A", now: epoch, until: minute(5))
        let bWhileItRuns = try await store.claimLease("housekeeping", holder: "B", now: minute(1), until: minute(6))
        let anotherJob = try await store.claimLease("backup", holder: "B", now: minute(1), until: minute(6))
        let aRenews = try await store.claimLease("housekeeping", holder: "A", now: minute(4), until: minute(9))
        let bAfterTheFirstTermButWithinTheRenewal = try await store.claimLease("housekeeping", holder: "B", now: minute(7), until: minute(12))
        let bAfterItRanOut = try await store.claimLease("housekeeping", holder: "B", now: minute(10), until: minute(15))
        let aWhileBHoldsIt = try await store.claimLease("housekeeping", holder: "A", now: minute(11), until: minute(16))
        let bRenews = try await store.claimLease("housekeeping", holder: "B", now: minute(14), until: minute(19))

        #expect(aTakes, "nobody held it")
        #expect(anotherJob, "each job has a lease of its own")
        #expect(aRenews, "the holder renews its own lease")
        #expect(bAfterItRanOut, "a lease that ran out is free")
        #expect(bRenews)
        switch engine {
        case .postgres:
            // Several instances on one database: the lease excludes every other holder while it runs.
            #expect(!bWhileItRuns, "A holds it until minute 5")
            #expect(!bAfterTheFirstTermButWithinTheRenewal, "A renewed it until minute 9")
            #expect(!aWhileBHoldsIt, "B holds it until minute 15")
        case .sqlite:
            // One server per file: there is nobody to exclude, so every claim is granted.
            #expect(bWhileItRuns && bAfterTheFirstTermButWithinTheRenewal && aWhileBHoldsIt)
        }
    }
}

import Foundation
import Storage
import StorageTestSupport
import Synchronization
import Testing

/// Two `Store` values on one database, as two processes (or two servers) would have: for SQLite two independent
/// `DatabasePool`s on one file, separate connections that meet only through SQLite's file locks and the WAL; for
/// PostgreSQL two clients with their own connection pools (see `withTwoStores`).
@Suite("Several connections on one database")
struct ConcurrentAccessTests {
    @Test(arguments: StorageEngine.available)
    func readersSeeWholeFetchesWhileAnotherPoolWrites(engine: StorageEngine) async throws {
        try await withTwoStores(engine) { writer, reader in try await Self.readersSeeWholeFetches(writer: writer, reader: reader) }
    }

    private static func readersSeeWholeFetches(writer: any Store, reader: any Store) async throws {
        try await writer.syncCatalog([bbc], now: epoch)
        let fetches = 60

        let readsPerReader = try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask {
                // Fetch n holds stories n…0, newest first: a reader that sees k articles must see "Story k-1" as headline.
                for n in 0..<fetches {
                    try await writer.fetched((0...n).reversed().map { item($0) }, at: minute(Double(n)))
                    await Task.yield()
                }
                return nil
            }
            for _ in 0..<2 {
                group.addTask {
                    var reads = 0
                    var lastCount = 0
                    while lastCount < fetches {
                        try Task.checkCancellation()
                        let entry = try #require(try await reader.headlines().first)
                        let count = entry.publication.articleCount
                        #expect(count >= lastCount, "a later read went back in time")
                        #expect(count == 0 ? entry.headline == nil : entry.headline?.title == "Story \(count - 1)",
                                "headline and count come from different snapshots")
                        lastCount = count
                        reads += 1
                        await Task.yield()
                    }
                    return reads
                }
            }
            var reads: [Int] = []
            for try await result in group { if let result { reads.append(result) } }
            return reads
        }
        #expect(readsPerReader.count == 2 && readsPerReader.allSatisfy { $0 >= 1 })
        #expect(try await reader.articleCount(of: "bbc") == fetches)
    }

    @Test(arguments: StorageEngine.available)
    func twoPoolsWritingAtOnceWaitForEachOtherInsteadOfFailing(engine: StorageEngine) async throws {
        try await withTwoStores(engine) { first, second in try await Self.writeAtOnce(first: first, second: second) }
    }

    private static func writeAtOnce(first: any Store, second: any Store) async throws {
        try await first.syncCatalog([bbc, cnn], now: epoch)
        let rounds = 100

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for n in 0..<rounds {
                    try await first.fetched([item(n)], into: "bbc", at: minute(Double(n)))
                    await Task.yield()
                }
            }
            group.addTask {
                for n in 0..<rounds {
                    try await second.recordFetchFailure(publicationID: "cnn", error: "failure \(n)", httpStatus: 500, at: minute(Double(n)), nextDueAt: minute(Double(n + 1)))
                    try await second.createLoginAttempt(LoginAttemptRecord(stateHash: "state-\(n)", browserBindingHash: "b", pkceVerifier: nil,
                                                                     nextPath: "/", createdAt: epoch, expiresAt: minute(10)))
                    await Task.yield()
                }
            }
            try await group.waitForAll()
        }
        #expect(try await second.articleCount(of: "bbc") == rounds)
        #expect(try await first.publication(id: "cnn")?.consecutiveFailures == rounds)
        #expect(try await first.purgeExpiredLoginAttempts(now: minute(10)) == rounds)
    }

    /// SQLite only: creating and migrating a database file (PostgreSQL's counterpart is instancesStartingAtOnceMigrateOnce).
    /// Openers race to create and migrate the same new file, on fresh files over and over: whoever loses a
    /// migration to another carries on from what the winner applied. Each opener gets a thread of its own, all
    /// released at once, so the openings really overlap (the cooperative pool would run two at a time at most).
    @Test func openersOfAFreshFileAllFindItMigrated() async throws {
        for _ in 0..<20 {
            let folder = try TemporaryFolder()
            let opened = try await Self.openAtOnce(path: folder.databasePath, openers: 6)
            try await opened[0].syncCatalog([bbc], now: epoch)
            for store in opened.dropFirst() { #expect(try await store.publications().map(\.id) == ["bbc"]) }
        }
    }

    /// Waits for the threads without holding a cooperative thread.
    private static func openAtOnce(path: String, openers: Int) async throws -> [any Store] {
        let start = DispatchSemaphore(value: 0), done = DispatchGroup()
        let results = Mutex<[Result<any Store, any Error>]>([])
        for _ in 0..<openers {
            done.enter()
            Thread.detachNewThread {
                start.wait()
                let result = Result<any Store, any Error> { try SQLiteStore(path: path) }
                results.withLock { $0.append(result) }
                done.leave()
            }
        }
        for _ in 0..<openers { start.signal() }
        await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
            done.notify(queue: .global()) { finished.resume() }
        }
        return try results.withLock { $0 }.map { try $0.get() }
    }
}

import Foundation
import Storage
import StorageTestSupport
import Testing

/// Asks `probe` until it says yes, for up to `timeout`. The probes give up after about a second by design (PostgreSQL:
/// 1 s in all), which a parallel suite on two loaded cores can exceed now and then: a healthy database must say yes
/// at least once in ten seconds, one that never does fails the test.
private func eventually(within timeout: Duration = .seconds(10), _ probe: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await probe() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return await probe()
}

/// The probes a readiness check asks, and the bounded copy request handlers use, on a healthy database.
@Suite("Readiness and bounded waits")
struct ReadinessTests {
    @Test(arguments: StorageEngine.available)
    func aFreshStoreIsReachableAndWritable(engine: StorageEngine) async throws {
        let store = try await engine.makeStore()
        #expect(await eventually { await store.isReachable() })
        #expect(await eventually { await store.isWritable() })
        #expect(!store.location.isEmpty)
    }

    /// The copy is the same database: what one writes the other reads.
    @Test(arguments: StorageEngine.available)
    func aBoundedCopyIsTheSameDatabase(engine: StorageEngine) async throws {
        let store = try await storeWithCatalog(engine)
        let bounded = store.limitingWaits(to: .seconds(10))
        #expect(bounded.location == store.location)
        #expect(await eventually { await bounded.isReachable() })
        #expect(await eventually { await bounded.isWritable() })
        try await bounded.fetched([item(1)], into: "cnn")
        #expect(try await store.articleCount(of: "cnn") == 1)
        #expect(try await bounded.publications().map(\.id) == ["bbc", "cnn"])
    }
}

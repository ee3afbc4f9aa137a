import Synchronization
import Testing
@testable import Newsroom

/// The refresher stores at most one fetch per core at a time (`WriteTurns`): with PostgreSQL, sixteen concurrent
/// transactions took the cores that requests needed (issue 8, /healthz p99 during the first refresh).
@Suite struct WriteTurnsTests {
    final class Tally: Sendable {
        let state = Mutex((now: 0, most: 0, done: 0))
    }

    @Test func neverMoreHoldersThanTheLimitAndEveryCallerGetsItsTurn() async {
        let turns = WriteTurns(limit: 2)
        let counts = Tally()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    await turns.withTurn {
                        counts.state.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                        await Task.yield()
                        try? await Task.sleep(for: .milliseconds(1))
                        counts.state.withLock { $0.now -= 1; $0.done += 1 }
                    }
                }
            }
        }
        let final = counts.state.withLock { $0 }
        #expect(final.most == 2)
        #expect(final.done == 40)
        #expect(final.now == 0)
    }

    @Test func aThrowingHolderGivesItsTurnBack() async throws {
        struct Failed: Error {}
        let turns = WriteTurns(limit: 1)
        await #expect(throws: Failed.self) { try await turns.withTurn { () throws(Failed) in throw Failed() } }
        // With the only turn lost, this would wait forever.
        let value = await turns.withTurn { 7 }
        #expect(value == 7)
    }
}

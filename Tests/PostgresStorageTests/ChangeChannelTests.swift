import Foundation
import PostgresStorage
import Storage
import StorageTestSupport
import Synchronization
import Testing

/// What a follower heard: the changes in order, and how often it was told to start its caches over.
private final class Heard: Sendable {
    private let state = Mutex<(changes: [StoreChange], resets: Int, finished: Bool)>(([], 0, false))

    var changes: [StoreChange] { state.withLock { $0.changes } }
    var resets: Int { state.withLock { $0.resets } }
    var finished: Bool { state.withLock { $0.finished } }

    func receive(_ change: StoreChange) { state.withLock { $0.changes.append(change) } }
    func reset() { state.withLock { $0.resets += 1 } }
    func finish() { state.withLock { $0.finished = true } }
}

/// Polls `condition` until it holds or `timeout` has passed (generous: the suite runs in parallel on loaded cores).
/// - Returns: whether it held.
private func eventually(within timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}

/// Two instances on one database tell each other what changed through LISTEN/NOTIFY.
@Suite("PostgreSQL change channel", needsServer)
struct ChangeChannelTests {
    @Test func anotherInstanceHearsEveryChangeInOrder() async throws {
        let (first, url) = try await StorageEngine.makePostgresStore()
        let second = try await PostgresStore.open(url: url)
        let publisher = PostgresChangeChannel(store: first)
        let listener = PostgresChangeChannel(store: second)
        let heard = Heard()
        let following = Task {
            await listener.follow(receive: { heard.receive($0) }, reset: { heard.reset() })
            heard.finish()
        }

        // Changes sent before the follower listens are lost by design: wait until it says it listens (its reset).
        let listening = await eventually { heard.resets >= 1 }
        #expect(listening, "the follower never started listening")
        if listening {
            let sent: [StoreChange] = [.publication("bbc"), .catalog, .sessionEnded(idHash: "h")]
            for change in sent { await publisher.publish(change) }
            #expect(await eventually { heard.changes.count >= sent.count }, "heard only \(heard.changes)")
            #expect(heard.changes == sent)
            #expect(heard.resets == 1, "reset once, when it started listening")
        }

        following.cancel()
        #expect(await eventually { heard.finished }, "follow returns once its task is cancelled")
        await second.close()
        await first.close()
    }
}

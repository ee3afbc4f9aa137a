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
        try await withFollower { _, publisher, heard in
            // Changes sent before the follower listens are lost by design: wait until it says it listens (its reset).
            let listening = await eventually { heard.resets >= 1 }
            #expect(listening, "the follower never started listening")
            guard listening else { return }
            let sent: [StoreChange] = [.publication("bbc"), .catalog, .sessionEnded(idHash: "h")]
            for change in sent { await publisher.publish(change) }
            #expect(await eventually { heard.changes.count >= sent.count }, "heard only \(heard.changes)")
            #expect(heard.changes == sent)
            #expect(heard.resets == 1, "reset once, when it started listening")
        }
    }

    /// The listening connection is killed (as a restart of PostgreSQL or a network cut would): the follower says to
    /// start the caches over, listens again on a new connection, and hears what is sent after.
    @Test func aDroppedListenerResetsReconnectsAndHearsAgain() async throws {
        try await withFollower { publishingStore, publisher, heard in
            #expect(await eventually { heard.resets >= 1 }, "the follower never started listening")
            let killed = try await publishingStore.textRows(unsafeSQL: """
                SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN%'
                """)
            #expect(killed == [["true"]], "exactly one listening connection, killed: \(killed)")
            #expect(await eventually { heard.resets >= 2 }, "no reset after the listening connection died (resets: \(heard.resets))")
            guard heard.resets >= 2 else { return }
            await publisher.publish(.publication("after"))
            #expect(await eventually { heard.changes.contains(.publication("after")) }, "heard only \(heard.changes)")
        }
    }

    /// Two instances on a fresh database: the second follows the channel while `body` runs, with what the first
    /// publishes (and its store); then the follower is cancelled, which must end it, and both stores close.
    private func withFollower(_ body: (PostgresStore, PostgresChangeChannel, Heard) async throws -> Void) async throws {
        let (first, url) = try await StorageEngine.makePostgresStore()
        let second = try await PostgresStore.open(url: url)
        let listener = PostgresChangeChannel(store: second)
        let heard = Heard()
        let following = Task {
            await listener.follow(receive: { heard.receive($0) }, reset: { heard.reset() })
            heard.finish()
        }
        var failure: (any Error)?
        do { try await body(first, PostgresChangeChannel(store: first), heard) } catch { failure = error }
        following.cancel()
        #expect(await eventually { heard.finished }, "follow returns once its task is cancelled")
        await second.close()
        await first.close()
        if let failure { throw failure }
    }
}

import Synchronization

/// At most `limit` holders at once, the others waiting in turn (first come, first served), without holding a thread.
///
/// The refresher stores at most one fetch per core at a time. Sixteen refreshes in flight kept sixteen PostgreSQL
/// transactions busy, and their backends took the cores that requests needed. SQLite stores one fetch at a time
/// anyway (one writer), so it loses nothing.
final class WriteTurns: Sendable {
    private struct State {
        var holders = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) { self.limit = max(1, limit) }

    /// Runs `body` once a turn is free, and frees the turn when it returns.
    func withTurn<Value: Sendable, Failure: Error>(_ body: () async throws(Failure) -> Value) async throws(Failure) -> Value {
        await take()
        defer { give() }
        return try await body()
    }

    private func take() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state in
                if state.holders < limit { state.holders += 1; return true }
                state.waiting.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    private func give() {
        // The turn passes straight to the first waiter, so the count of holders stays as it is.
        let next = state.withLock { state in
            if state.waiting.isEmpty { state.holders -= 1; return nil as CheckedContinuation<Void, Never>? }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}

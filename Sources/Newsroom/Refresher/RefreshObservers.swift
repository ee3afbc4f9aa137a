import Foundation
import Synchronization

/// Whoever wants to hear of each refresh as it finishes: the app's metrics for as long as it runs, `newsroom
/// fetch`'s progress line for one run. Observers are told on the refreshing task, so each must be quick.
public final class RefreshObservers: Sendable {
    public struct Token: Sendable, Hashable { let id: Int }
    private struct State {
        var next = 0
        var observers: [Int: @Sendable (RefreshResult) -> Void] = [:]
    }
    private let state = Mutex(State())

    public init() {}

    @discardableResult
    public func add(_ observer: @escaping @Sendable (RefreshResult) -> Void) -> Token {
        state.withLock { state in
            state.next += 1
            state.observers[state.next] = observer
            return Token(id: state.next)
        }
    }

    public func remove(_ token: Token) { _ = state.withLock { $0.observers.removeValue(forKey: token.id) } }

    func notify(_ result: RefreshResult) {
        // Called outside the lock: an observer that adds or removes one must not deadlock.
        let observers = state.withLock { Array($0.observers.values) }
        for observer in observers { observer(result) }
    }
}

/// How far one run over many publications has got: what `newsroom fetch` draws on a terminal.
public final class RefreshProgress: Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var done: Int
        public var total: Int
        public var failed: Int
    }
    private let state = Mutex(Snapshot(done: 0, total: 0, failed: 0))

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    func start(total: Int) { state.withLock { $0 = Snapshot(done: 0, total: total, failed: 0) } }

    func finished(_ result: RefreshResult) {
        state.withLock { progress in
            progress.done += 1
            if case .failed = result.status { progress.failed += 1 }
        }
    }
}

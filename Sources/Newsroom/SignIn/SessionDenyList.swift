import Synchronization

/// Sessions that have ended but whose row may still be in the database (its delete failed and is being retried).
/// `SessionManager.resolve` asks this first, so an ended session is refused at once whatever the database says.
///
/// This is the seam for several instances: one process keeps the list in memory (`LocalSessionDenyList`); with
/// PostgreSQL an implementation would also announce each entry to the other instances (`NOTIFY`) and add theirs.
protocol SessionDenyList: Sendable {
    /// Whether a session with this id hash may be honoured at all.
    func standing(of idHash: String) -> SessionStanding
    /// Refuses the session from now on. False when the list is full: then every session is untrusted until
    /// `retired(_:untrustedSince:)` says all sessions were deleted.
    func deny(_ idHash: String) -> Bool
    /// What is pending: the hashes whose rows still have to be deleted, and, when the list overflowed, the
    /// overflow's epoch (the rows to delete are then all of them).
    func pending() -> (hashes: [String], overflowEpoch: UInt64?)
    /// The rows of `hashes` are gone; with `untrustedSince`, every row that existed up to the overflow of that epoch is gone.
    func retired(_ hashes: [String], untrustedSince overflowEpoch: UInt64?)
}

enum SessionStanding: Sendable, Equatable {
    case clear
    /// Ended: treat as signed out.
    case denied
    /// The list overflowed, so an ended session may be missing from it: no session can be trusted until the
    /// database answers and every session is deleted.
    case untrusted
}

/// The in-memory list of one process. Entries exist only while the database refuses deletes, so it stays empty
/// almost always; the check on the hot path is then one atomic load.
final class LocalSessionDenyList: SessionDenyList {
    private struct State {
        var hashes: Set<String> = []
        /// Bumped by every refused `deny` while full; nil when the list has never overflowed since the last clearing.
        var overflowEpoch: UInt64?
        var epochs: UInt64 = 0
    }
    private let state = Mutex(State())
    /// Entries plus one while overflowed: zero means nothing to check.
    private let weight = Atomic<Int>(0)
    /// ~100 bytes an entry: 100 000 pending deletes hold about 10 MB. Reaching it takes that many sessions ending
    /// while the database refuses every write.
    let capacity: Int
    static let defaultCapacity = 100_000

    init(capacity: Int = LocalSessionDenyList.defaultCapacity) { self.capacity = capacity }

    func standing(of idHash: String) -> SessionStanding {
        guard weight.load(ordering: .acquiring) > 0 else { return .clear }
        return state.withLock { state in
            if state.hashes.contains(idHash) { return .denied }
            return state.overflowEpoch == nil ? .clear : .untrusted
        }
    }

    func deny(_ idHash: String) -> Bool {
        state.withLock { state in
            defer { publishWeight(state) }
            if state.hashes.contains(idHash) { return true }
            guard state.hashes.count < capacity else {
                state.epochs &+= 1
                state.overflowEpoch = state.epochs
                return false
            }
            state.hashes.insert(idHash)
            return true
        }
    }

    func pending() -> (hashes: [String], overflowEpoch: UInt64?) {
        state.withLock { (Array($0.hashes), $0.overflowEpoch) }
    }

    func retired(_ hashes: [String], untrustedSince overflowEpoch: UInt64?) {
        state.withLock { state in
            defer { publishWeight(state) }
            state.hashes.subtract(hashes)
            // A refusal after the deletion of every row started may name a session created since: keep distrusting.
            if let overflowEpoch, state.overflowEpoch == overflowEpoch { state.overflowEpoch = nil }
        }
    }

    private func publishWeight(_ state: State) {
        weight.store(state.hashes.count + (state.overflowEpoch == nil ? 0 : 1), ordering: .releasing)
    }
}

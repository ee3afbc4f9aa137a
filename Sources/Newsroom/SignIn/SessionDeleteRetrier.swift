import Synchronization

/// Retries the session deletes that failed, every `interval`, until none is left; started by the first failure and
/// ended when the work is done, so a healthy server runs no loop at all. (Not a `Service`: the web side, and with it
/// the deny list, may be rebuilt once the server listens, and the service group is fixed before that.)
final class SessionDeleteRetrier: Sendable {
    private let running = Mutex<Task<Void, Never>?>(nil)
    let interval: Duration
    /// One round: tries what is pending.
    private let round: @Sendable () async -> Void
    /// Asked under the lock before the loop ends, so work added during the last round is never left without a loop.
    private let isIdle: @Sendable () -> Bool

    init(interval: Duration, round: @escaping @Sendable () async -> Void, isIdle: @escaping @Sendable () -> Bool) {
        self.interval = interval
        self.round = round
        self.isIdle = isIdle
    }

    /// Makes sure a loop runs; called after a failed delete has put its work in place.
    func wake() {
        running.withLock { task in
            guard task == nil else { return }
            task = Task.detached { [self] in await loop() }
        }
    }

    private func loop() async {
        while true {
            try? await Task.sleep(for: interval)
            await round()
            let stop = running.withLock { task in
                guard isIdle() else { return false }
                task = nil
                return true
            }
            if stop { return }
        }
    }
}

import Synchronization

/// Runs a database call for at most a given time. When the time is up the caller gets `StorageError.busy` at once
/// and the call is cancelled: one still queued behind a lock never starts (GRDB and PostgresNIO check for
/// cancellation before they run it), one already running finishes or fails on its own, unobserved.
///
/// A task group would not do: it waits for its cancelled child, and a call queued behind another process's lock
/// only notices cancellation when its turn comes, which is the very wait this bounds.
package enum WaitLimit {
    package static func run<T: Sendable>(
        _ limit: Duration?, _ operation: String, _ body: @escaping @Sendable () async throws(StorageError) -> T
    ) async throws(StorageError) -> T {
        guard let limit else { return try await body() }
        let race = Race<T>()
        let result: Result<T, StorageError> = await withCheckedContinuation { continuation in
            race.waiter.withLock { $0 = continuation }
            let work = Task {
                let result: Result<T, StorageError>
                do throws(StorageError) { result = .success(try await body()) } catch { result = .failure(error) }
                // Under load most calls finish well in time: stop their timers rather than leave them sleeping.
                if race.finish(result) { race.timer.withLock { $0?.cancel() } }
            }
            race.timer.withLock {
                $0 = Task {
                    guard (try? await Task.sleep(for: limit)) != nil else { return }
                    if race.finish(.failure(.busy(operation: operation))) { work.cancel() }
                }
            }
        }
        return try result.get()
    }

    private final class Race<T: Sendable>: Sendable {
        let waiter = Mutex<CheckedContinuation<Result<T, StorageError>, Never>?>(nil)
        let timer = Mutex<Task<Void, Never>?>(nil)

        /// Whoever comes first (the call or the timer) resumes the waiter; true for that one, false for the other.
        func finish(_ result: Result<T, StorageError>) -> Bool {
            guard let continuation = waiter.withLock({ $0.take() }) else { return false }
            continuation.resume(returning: result)
            return true
        }
    }
}

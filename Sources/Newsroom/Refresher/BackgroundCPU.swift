import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Threads of their own, at a lower scheduling priority, for the refresher's CPU-bound work: parsing a feed and
/// turning its entries into articles.
///
/// Hummingbird runs request handlers on Swift's cooperative pool, which has one thread per core. Parsing there put
/// every request of a first refresh of 1 000 feeds in a queue behind parses. On these threads the kernel serves the
/// request threads first (nice 10 weighs about a tenth of nice 0) and gives parsing every cycle they leave idle, so a
/// refresh on an idle server takes no longer.
final class BackgroundCPU: Sendable {
    /// One thread per core, like the pool it keeps the work off.
    static let shared = BackgroundCPU(threads: ProcessInfo.processInfo.activeProcessorCount, niceness: 10)

    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let available = DispatchSemaphore(value: 0)

    private init(threads: Int, niceness: Int32) {
        for index in 0..<max(1, threads) {
            let thread = Thread { [self] in
                #if os(Linux)
                // On Linux the "process" priority is the calling thread's: only this thread is lowered. Failing
                // (a sandbox forbidding it) leaves it at the normal priority, which is what the work had before.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
                // So top, ps and perf tell this CPU from the pool's. Foundation's `Thread.name` does not reach the
                // kernel here (the thread would carry its creator's name), and Swift sees no pthread_setname_np: a
                // thread may write its own name. At most 15 bytes, Linux's limit.
                try? "newsroom-cpu-\(index)".write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
                #endif
                work()
            }
            thread.start()
        }
    }

    /// Runs `body` on one of the threads and returns what it returns. The caller's task waits without holding a
    /// cooperative thread. `body` is not interrupted by cancellation: it is bounded work (one feed of at most 10 MiB).
    func run<Value: Sendable, Failure: Error>(_ body: @escaping @Sendable () throws(Failure) -> Value) async throws(Failure) -> Value {
        let result: Result<Value, Failure> = await withCheckedContinuation { continuation in
            jobs.withLock { $0.append { continuation.resume(returning: Result { () throws(Failure) in try body() }) } }
            available.signal()
        }
        return try result.get()
    }

    private func work() -> Never {
        while true {
            available.wait()
            // Each signal stands for one job, appended before it; first in, first out.
            let job = jobs.withLock { $0.removeFirst() }
            job()
        }
    }
}

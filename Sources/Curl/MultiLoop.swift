import CCurl
import Foundation
import Synchronization

/// Owns one curl multi handle and the dedicated thread that drives it, so no transfer ever blocks
/// Swift's cooperative pool. Callers hand work over through a locked inbox and wake the thread.
final class MultiLoop: @unchecked Sendable {
    private struct Inbox {
        var incoming: [Transfer] = []
        var cancelled: [Transfer] = []
        var isStopping = false
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    private let threadExited = DispatchSemaphore(value: 0)
    private let joined = Mutex(false)
    private let maxActive: Int
    private let maxActivePerHost: Int
    // Touched only by the loop thread:
    /// Transfers inside the multi handle, keyed by their easy handle.
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]
    private var activePerHost: [String: Int] = [:]
    /// Transfers over the caps, oldest first; their timeouts start only once they enter the multi handle.
    private var waiting: [Transfer] = []

    init(maxTotalConnections: Int, maxConnectionsPerHost: Int) {
        _ = CurlGlobal.isInitialized
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        self.multi = multi
        maxActive = max(1, maxTotalConnections)
        maxActivePerHost = max(1, maxConnectionsPerHost)
        // Admission below keeps within these; curl's own caps are the backstop (redirects can change hosts).
        _ = newsroom_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, maxActive)
        _ = newsroom_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxActivePerHost)
        _ = newsroom_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxActive)
        let thread = Thread { [self] in
            run()
            threadExited.signal()
        }
        thread.name = "curl-multi"
        thread.start()
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    /// Queues a transfer; finishes it at once if it was already cancelled or the loop is stopping.
    func submit(_ transfer: Transfer) {
        let rejection: CurlError? = inbox.withLock { inbox in
            if inbox.isStopping || transfer.cancelRequested { return .cancelled }
            inbox.incoming.append(transfer)
            return nil
        }
        if let rejection { transfer.finish(.failure(rejection)) } else { curl_multi_wakeup(multi) }
    }

    /// Asks the loop to abort a transfer; safe to call before `submit`, after completion, or twice.
    func cancel(_ transfer: Transfer) {
        inbox.withLock { inbox in
            transfer.cancelRequested = true
            inbox.cancelled.append(transfer)
        }
        curl_multi_wakeup(multi)
    }

    /// Stops the thread, failing every unfinished transfer with `.cancelled`, and waits for it to exit.
    func shutdown() {
        inbox.withLock { $0.isStopping = true }
        curl_multi_wakeup(multi)
        let mustWait = joined.withLock { joined in
            defer { joined = true }
            return !joined
        }
        if mustWait { threadExited.wait() }
    }

    private func run() {
        while true {
            let (incoming, cancelled, isStopping) = inbox.withLock { inbox in
                defer { inbox.incoming.removeAll(); inbox.cancelled.removeAll() }
                return (inbox.incoming, inbox.cancelled, inbox.isStopping)
            }
            if isStopping {
                (waiting + incoming).forEach { $0.finish(.failure(.cancelled)) }
                waiting.removeAll()
                for transfer in active.values { remove(transfer, with: .failure(.cancelled)) }
                return
            }
            waiting += incoming
            for transfer in cancelled {
                if active[transfer.handle] === transfer {
                    remove(transfer, with: .failure(.cancelled))
                } else if let index = waiting.firstIndex(where: { $0 === transfer }) {
                    waiting.remove(at: index).finish(.failure(.cancelled))
                }
            }
            admitWaiting()

            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            collectFinished()
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    /// Moves waiting transfers into the multi handle, oldest first, while the total and per-host caps allow.
    private func admitWaiting() {
        var stillWaiting: [Transfer] = []
        for transfer in waiting {
            guard active.count < maxActive, activePerHost[transfer.hostKey, default: 0] < maxActivePerHost else {
                stillWaiting.append(transfer)
                continue
            }
            let code = curl_multi_add_handle(multi, transfer.handle)
            if code == CURLM_OK {
                active[transfer.handle] = transfer
                activePerHost[transfer.hostKey, default: 0] += 1
            } else {
                transfer.finish(.failure(.transfer(code: Int(code.rawValue), message: "could not start the transfer")))
            }
        }
        waiting = stillWaiting
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                  let transfer = active[easy] else { continue }
            let code = message.pointee.data.result
            remove(transfer, with: transfer.result(for: code))
        }
        admitWaiting()
    }

    private func remove(_ transfer: Transfer, with result: Result<CurlResponse, CurlError>) {
        _ = curl_multi_remove_handle(multi, transfer.handle)
        active[transfer.handle] = nil
        activePerHost[transfer.hostKey, default: 1] -= 1
        if activePerHost[transfer.hostKey] == 0 { activePerHost[transfer.hostKey] = nil }
        transfer.finish(result)
    }
}

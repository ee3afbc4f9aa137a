#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A small real HTTP/1.1 server on 127.0.0.1 (random port) whose responses tests script, misbehaviour included.
/// One thread accepts, one thread serves each connection; every connection is `Connection: close`.
/// `stop()` (also run by deinit) unblocks every wait, stall included, and returns once all threads are done.
public final class LoopbackHTTPServer: Sendable {
    private let core: ServerCore

    public init(handler: @escaping @Sendable (RecordedRequest) -> ScriptedResponse) throws {
        core = try ServerCore(handler: handler)
    }

    deinit {
        core.stop()
    }

    public var port: Int { core.port }
    /// "http://127.0.0.1:PORT", no trailing slash.
    public var baseURL: String { "http://127.0.0.1:\(core.port)" }
    /// Every request received so far, in arrival order.
    public var requests: [RecordedRequest] { core.state.withLock { $0.requests } }
    /// How each finished connection ended, in the order they ended.
    public var connectionOutcomes: [ConnectionOutcome] { core.state.withLock { $0.outcomes } }

    /// Returns once at least `count` requests have arrived (or the server stopped).
    public func waitForRequests(count: Int) async -> [RecordedRequest] {
        await core.wait { $0.requests.count >= count }
        return requests
    }

    /// Returns once at least `count` connections have ended (or the server stopped).
    public func waitForClosedConnections(count: Int) async -> [ConnectionOutcome] {
        await core.wait { $0.outcomes.count >= count }
        return connectionOutcomes
    }

    public func stop() {
        core.stop()
    }
}

/// The server's sockets, threads and records; the threads hold this, not the public object, so deinit can stop them.
final class ServerCore: @unchecked Sendable {
    struct State {
        var requests: [RecordedRequest] = []
        var outcomes: [ConnectionOutcome] = []
        var waiters: [(isSatisfied: @Sendable (State) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
        var isStopped = false
    }

    var port: Int { acceptor.port }
    let state = Mutex(State())
    private let acceptor: LoopbackAcceptor
    private let handler: @Sendable (RecordedRequest) -> ScriptedResponse

    init(handler: @escaping @Sendable (RecordedRequest) -> ScriptedResponse) throws {
        self.handler = handler
        acceptor = try LoopbackAcceptor()
        acceptor.start { [self] fd in
            serve(acceptor.io(fd))
            close(fd)
        }
    }

    func stop() {
        guard acceptor.stop() else { return }
        let waiters = state.withLock { state in
            state.isStopped = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        waiters.forEach { $0.continuation.resume() }
    }

    func wait(until isSatisfied: @escaping @Sendable (State) -> Bool) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if state.isStopped || isSatisfied(state) { return true }
                state.waiters.append((isSatisfied, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private func record(_ change: (inout State) -> Void) {
        let satisfied = state.withLock { state in
            change(&state)
            let now = state
            let (ready, waiting) = (state.waiters.filter { $0.isSatisfied(now) }, state.waiters.filter { !$0.isSatisfied(now) })
            state.waiters = waiting
            return ready
        }
        satisfied.forEach { $0.continuation.resume() }
    }

    private func serve(_ io: SocketIO) {
        guard let request = RequestReader.read(from: io) else {
            _ = io.send(Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            record { $0.outcomes.append(.badRequest) }
            return
        }
        record { $0.requests.append(request) }
        let outcome = ResponseWriter.write(handler(request), for: request, to: io)
        shutdown(io.fd, Int32(SHUT_WR))
        record { $0.outcomes.append(outcome) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Why the server could not start.
public struct LoopbackServerError: Error, CustomStringConvertible {
    public let description: String
    init(_ call: String) { description = "loopback server: \(call) failed: \(String(cString: strerror(errno)))" }
}

/// Blocking-free socket calls that every wait also watches the server's stop pipe, so `stop()` unblocks them.
struct SocketIO {
    enum Wait { case ready, stopped, timedOut }
    enum SendResult { case sent, hungUp, stopped }

    let fd: Int32
    let stopFD: Int32

    /// Waits for `events` on the socket; a negative timeout waits forever.
    func wait(for events: Int16, timeoutMilliseconds: Int32) -> Wait {
        var fds = [pollfd(fd: fd, events: events, revents: 0), pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0)]
        while true {
            let ready = poll(&fds, 2, timeoutMilliseconds)
            if ready < 0 && errno == EINTR { continue }
            if fds[1].revents != 0 { return .stopped }
            return ready == 0 ? .timedOut : .ready
        }
    }

    func send(_ bytes: [UInt8]) -> SendResult {
        var offset = 0
        while offset < bytes.count {
            switch wait(for: Int16(POLLOUT), timeoutMilliseconds: -1) {
            case .stopped: return .stopped
            case .timedOut: continue
            case .ready: break
            }
            // MSG_NOSIGNAL: a client that hung up must not kill the test process with SIGPIPE.
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            if sent < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                return .hungUp
            }
            offset += sent
        }
        return .sent
    }

    /// Reads whatever is available, waiting up to the timeout; nil when the peer closed, failed or the server stops.
    func receive(timeoutMilliseconds: Int32) -> [UInt8]? {
        guard wait(for: Int16(POLLIN), timeoutMilliseconds: timeoutMilliseconds) == .ready else { return nil }
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        guard count > 0 else { return nil }
        return Array(buffer[..<count])
    }

    /// Holds the connection silent for `seconds`; reports whether the client left or the server stopped meanwhile.
    func idle(seconds: Double) -> ConnectionOutcome? {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return nil }
            switch wait(for: Int16(POLLIN), timeoutMilliseconds: Int32(min(remaining * 1000, 60_000).rounded(.up))) {
            case .stopped: return .serverStopped
            case .timedOut: continue
            case .ready:
                // Readable while we are silent means end-of-stream or a reset; stray extra bytes are dropped.
                var scratch = [UInt8](repeating: 0, count: 4096)
                let count = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                if count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR) { return .clientHungUp }
            }
        }
    }
}

/// A listening TCP socket on 127.0.0.1 with a kernel-chosen port.
enum LoopbackListener {
    static func open() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackServerError("socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { close(fd); throw LoopbackServerError("bind") }
        guard listen(fd, 256) == 0 else { close(fd); throw LoopbackServerError("listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { close(fd); throw LoopbackServerError("getsockname") }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}

/// The listening half the loopback test servers share (LoopbackHTTPServer, TCPRelay): a socket on 127.0.0.1 with a
/// kernel-chosen port, one thread accepting, one thread per connection, and a stop that wakes every wait (each
/// `SocketIO` made by `io(_:)` also polls the stop pipe) and returns once every thread is done.
final class LoopbackAcceptor: Sendable {
    let port: Int
    private let listenFD: Int32
    /// Written once by stop(); stays readable, so every poll() that watches it wakes up.
    private let stopPipe: (read: Int32, write: Int32)
    private let threads = DispatchGroup()
    private let stopped = Mutex(false)

    init() throws {
        (listenFD, port) = try LoopbackListener.open()
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { close(listenFD); throw LoopbackServerError("pipe") }
        stopPipe = (fds[0], fds[1])
    }

    /// Socket calls on `fd` that give up when the acceptor stops.
    func io(_ fd: Int32) -> SocketIO { SocketIO(fd: fd, stopFD: stopFD) }
    /// Readable once the acceptor stops: for a poll() of its own to watch.
    var stopFD: Int32 { stopPipe.read }

    /// Accepts until `stop()`, each connection handed to `connection` on a thread of its own, which closes it.
    /// The handler is held by the accepting thread only, so whatever it captures is let go once the acceptor stops.
    func start(serving connection: @escaping @Sendable (Int32) -> Void) {
        threads.enter()
        Thread { [self] in
            let listener = io(listenFD)
            while listener.wait(for: Int16(POLLIN), timeoutMilliseconds: -1) != .stopped {
                let fd = accept(listenFD, nil, nil)
                guard fd >= 0 else { continue }
                threads.enter()
                Thread { [threads] in
                    connection(fd)
                    threads.leave()
                }.start()
            }
            close(listenFD)
            threads.leave()
        }.start()
    }

    /// Wakes every wait and returns once every thread has finished; false (and nothing done) when already stopped.
    @discardableResult func stop() -> Bool {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return false }
        var byte: UInt8 = 1
        _ = write(stopPipe.write, &byte, 1)
        threads.wait()
        close(stopPipe.read)
        close(stopPipe.write)
        return true
    }
}

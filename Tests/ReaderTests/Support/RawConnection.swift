#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One client socket to the app that sends exactly the bytes a test gives, when it gives them, and reports what
/// the server did: for half-sent and trickled requests no ordinary client would send. Every wait runs on its own
/// thread, so a test that waits out a server never blocks the tasks that serve it.
final class RawConnection: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { var description: String }
    enum Outcome: Equatable { case closed, stillOpen }

    private let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw Failure(description: "connect failed: \(String(cString: strerror(errno)))") }
    }

    deinit { close(fd) }

    /// False once the server has hung up (MSG_NOSIGNAL: no SIGPIPE for the test process).
    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Reads until the server closes the connection or `giveUp` passes (a safety net, not a timing assertion).
    func readUntilClosed(giveUp: Double = 20) async -> (received: String, outcome: Outcome) {
        await offThePool { [self] in
            let (received, outcome) = self.readBytesUntilClosed(giveUp: giveUp)
            return (String(decoding: received, as: UTF8.self), outcome)
        }
    }

    /// The same, blocking the calling thread: for synchronous callers (`RawHTTP`).
    func readBytesUntilClosed(giveUp: Double = 20) -> (received: [UInt8], outcome: Outcome) {
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(giveUp)
        while true {
            switch readSome(until: deadline) {
            case .bytes(let bytes): received += bytes
            case .closed: return (received, .closed)
            case .nothingYet: return (received, .stillOpen)
            }
        }
    }

    /// Reads until `text` has arrived; nil when the server closed first or `giveUp` passed.
    func read(until text: String, giveUp: Double = 20) async -> String? {
        await offThePool { [self] in
            var received: [UInt8] = []
            let deadline = Date().addingTimeInterval(giveUp)
            while !String(decoding: received, as: UTF8.self).contains(text) {
                guard case .bytes(let bytes) = self.readSome(until: deadline) else { return nil }
                received += bytes
            }
            return String(decoding: received, as: UTF8.self)
        }
    }

    /// Whether anything (bytes or a close) arrives within `seconds`.
    func hearsAnything(within seconds: Double) async -> Bool {
        await offThePool { [self] in
            if case .nothingYet = self.readSome(until: Date().addingTimeInterval(seconds)) { return false }
            return true
        }
    }

    /// Sends `bytes` one at a time, `interval` apart, until all are sent or the server hangs up.
    func trickle(_ text: String, interval: Double) async -> Outcome {
        await offThePool { [self] in
            for byte in Array(text.utf8) {
                guard self.send([byte]) else { return .closed }
                if case .closed = self.readSome(until: Date().addingTimeInterval(interval)) { return .closed }
            }
            return .stillOpen
        }
    }

    private enum Read { case bytes([UInt8]), closed, nothingYet }

    private func readSome(until deadline: Date) -> Read {
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return .nothingYet }
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 1, Int32(min(remaining, 1) * 1000) + 1)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 { return .bytes(Array(buffer[..<count])) }
            if count < 0 && (errno == EAGAIN || errno == EINTR) { continue }
            return .closed
        }
    }
}

/// Runs blocking socket work on a thread of its own.
private func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}

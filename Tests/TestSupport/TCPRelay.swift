#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A loopback TCP forwarder between a client and a server, which a test can cut and restore: it stands in for a
/// network (or a database server) that goes away and comes back, without touching the server itself.
///
/// Listens on 127.0.0.1 (kernel-chosen port); each accepted connection gets one connection of its own to the target
/// (an IPv4 address and port) and one thread copying bytes both ways. `cut()` closes every relayed connection (both
/// ends: the client sees its connection dropped, the server sees its client leave) and, until `restore()`, resets
/// every new connection as soon as it is accepted, so a client's connect "succeeds" and the first read fails, as
/// when the server process is gone but its address still answers. `stop()` (also run by deinit) ends it all and
/// returns once every thread is done.
public final class TCPRelay: Sendable {
    private let core: RelayCore

    /// - Parameters:
    ///   - targetHost: an IPv4 address (the relay never resolves names), e.g. "127.0.0.1".
    ///   - targetPort: the port to forward to.
    public init(targetHost: String = "127.0.0.1", targetPort: Int) throws {
        core = try RelayCore(targetHost: targetHost, targetPort: targetPort)
    }

    deinit {
        core.stop()
    }

    /// The port the relay listens on (127.0.0.1).
    public var port: Int { core.port }

    /// Connections accepted and forwarded so far.
    public var forwardedConnections: Int { core.state.withLock { $0.forwarded } }
    /// Connections accepted while cut, and reset at once.
    public var refusedConnections: Int { core.state.withLock { $0.refused } }
    /// Relayed connections open now.
    public var openConnections: Int { core.state.withLock { $0.open.count } }

    /// Closes every relayed connection now, and resets every new one until `restore()`.
    public func cut() { core.cut() }

    /// Forwards new connections again (those closed by `cut()` stay closed: clients reconnect).
    public func restore() { core.state.withLock { $0.isCut = false } }

    public func stop() { core.stop() }
}

final class RelayCore: @unchecked Sendable {
    struct Relayed {
        let client: Int32
        let upstream: Int32
    }

    struct State {
        var isCut = false
        var isStopped = false
        var nextID = 0
        var open: [Int: Relayed] = [:]
        var forwarded = 0
        var refused = 0
    }

    var port: Int { acceptor.port }
    let state = Mutex(State())
    private let target: sockaddr_in
    private let acceptor: LoopbackAcceptor

    init(targetHost: String, targetPort: Int) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(targetPort).bigEndian)
        guard inet_pton(AF_INET, targetHost, &address.sin_addr) == 1 else {
            throw LoopbackServerError("inet_pton(\(targetHost))")
        }
        target = address
        acceptor = try LoopbackAcceptor()
        acceptor.start { [self] fd in accepted(fd) }
    }

    func cut() {
        state.withLock { state in
            state.isCut = true
            // Shutting a socket down wakes its relay thread (poll reports the end), which closes both ends; the fds
            // stay valid until then because that thread removes them from `open` (under this lock) before closing.
            for relayed in state.open.values {
                Self.reset(relayed.client)
                Self.reset(relayed.upstream)
            }
        }
    }

    func stop() {
        state.withLock { state in
            state.isStopped = true
            for relayed in state.open.values {
                shutdown(relayed.client, Int32(SHUT_RDWR))
                shutdown(relayed.upstream, Int32(SHUT_RDWR))
            }
        }
        acceptor.stop()
    }

    /// An abortive end: linger 0 makes the close that follows send RST rather than FIN; shutdown wakes the waits.
    private static func reset(_ fd: Int32) {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        shutdown(fd, Int32(SHUT_RDWR))
    }

    /// A new connection (on its own thread): reset at once while cut, else relayed.
    private func accepted(_ fd: Int32) {
        let refuse = state.withLock { state in
            if state.isCut || state.isStopped { state.refused += 1; return true }
            return false
        }
        if refuse {
            Self.reset(fd)
            close(fd)
        } else {
            relay(fd)
        }
    }

    private func connectUpstream() -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = target
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); return nil }
        var yes: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    /// Copies bytes both ways until either side ends, the relay is cut or it stops; then closes both ends.
    private func relay(_ client: Int32) {
        var yes: Int32 = 1
        setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        guard let upstream = connectUpstream() else {
            Self.reset(client)
            close(client)
            return
        }
        let id: Int? = state.withLock { state in
            // Cut (or stopped) while connecting: this one never starts.
            if state.isCut || state.isStopped { state.refused += 1; return nil }
            let id = state.nextID
            state.nextID += 1
            state.open[id] = Relayed(client: client, upstream: upstream)
            state.forwarded += 1
            return id
        }
        guard let id else {
            Self.reset(client)
            Self.reset(upstream)
            close(client)
            close(upstream)
            return
        }
        pump(between: client, and: upstream)
        state.withLock { state in
            state.open[id] = nil
            // Ended by a cut: both ends are reset, not closed in an orderly way.
            if state.isCut {
                Self.reset(client)
                Self.reset(upstream)
            }
        }
        close(client)
        close(upstream)
    }

    private func pump(between a: Int32, and b: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let toB = acceptor.io(b), toA = acceptor.io(a)
        while true {
            var fds = [pollfd(fd: a, events: Int16(POLLIN), revents: 0), pollfd(fd: b, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: acceptor.stopFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 3, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[2].revents != 0 { return }
            for (index, from) in [a, b].enumerated() where fds[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { recv(from, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { continue }
                // End of stream, a reset, or a socket the cut shut down: the relayed connection is over.
                guard count > 0 else { return }
                let destination = from == a ? toB : toA
                guard destination.send(Array(buffer[..<count])) == .sent else { return }
            }
        }
    }
}

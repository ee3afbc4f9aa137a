#if canImport(Glibc)
import Glibc
#endif
import Curl
import Foundation
import Synchronization
import Testing
import TestSupport

/// The connect guard over real loopback sockets: loopback stands in for every internal address.
@Suite("Connect guard")
struct ConnectGuardTests {
    private static let publicOnly = ConnectPolicy.publicAddressesOnly(exceptHostOf: nil)

    @Test func publicOnlyRequestToLoopbackIsBlockedBeforeAnyRequestIsSent() async throws {
        let server = try server(answering: .text("internal"))
        let result = await outcome(of: CurlRequest(url: server.baseURL + "/", connectPolicy: Self.publicOnly), with: CurlClient())
        #expect(result.error == .blockedAddress)
        #expect(server.requests.isEmpty)
    }

    @Test func theConfiguredHostIsAllowedOnAnyPort() async throws {
        let server = try server(answering: .text("operator's own"))
        let policy = ConnectPolicy.publicAddressesOnly(exceptHostOf: "http://127.0.0.1:1/feed.xml")
        let response = try await CurlClient().send(CurlRequest(url: server.baseURL + "/", connectPolicy: policy))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "operator's own")
    }

    @Test func defaultPolicyConnectsAnywhere() async throws {
        let server = try server(answering: .text("fine"))
        #expect(CurlRequest(url: server.baseURL).connectPolicy == .anyAddress)
        #expect(try await CurlClient().send(CurlRequest(url: server.baseURL + "/")).status == 200)
    }

    /// The feed's host is trusted; the redirect target is another loopback name, so it is refused at connect time.
    @Test(arguments: [(from: "localhost", to: "127.0.0.1"), (from: "127.0.0.1", to: "localhost")])
    func redirectToAnotherInternalHostIsBlocked(from: String, to: String) async throws {
        let target = try server(answering: .text("secret from the internal network"))
        let feed = try server(answering: .redirect(to: "http://\(to):\(target.port)/admin"))
        let configured = "http://\(from):\(feed.port)/feed"
        let request = CurlRequest(url: configured, connectPolicy: .publicAddressesOnly(exceptHostOf: configured))

        let result = await outcome(of: request, with: CurlClient())

        #expect(result.error == .blockedAddress)
        #expect(feed.requests.count == 1)
        #expect(target.requests.isEmpty)
    }

    @Test func sameRedirectIsFollowedWithoutTheGuard() async throws {
        let target = try server(answering: .text("reached"))
        let feed = try server(answering: .redirect(to: "http://localhost:\(target.port)/"))
        let response = try await CurlClient().send(CurlRequest(url: feed.baseURL + "/feed"))
        #expect(String(decoding: response.body, as: UTF8.self) == "reached")
    }

    /// An open and a closed internal port must read the same, or feed errors would map the internal network.
    @Test func openAndClosedInternalPortsFailAlike() async throws {
        let open = try server(answering: .text("open"))
        let closed = try server(answering: .text("closed"))
        let closedPort = closed.port
        closed.stop()
        var errors: [CurlError?] = []
        for port in [open.port, closedPort] {
            let feed = try server(answering: .redirect(to: "http://127.0.0.1:\(port)/"))
            let configured = "http://localhost:\(feed.port)/feed"
            let request = CurlRequest(url: configured, connectPolicy: .publicAddressesOnly(exceptHostOf: configured))
            errors.append(await outcome(of: request, with: CurlClient()).error)
        }
        #expect(errors == [.blockedAddress, .blockedAddress])
        #expect(!CurlError.blockedAddress.description.contains(String(open.port)))
        #expect(open.requests.isEmpty)
    }

    /// A connection another transfer left open opens no socket when reused; the guard must still see it.
    @Test func reusedConnectionToAnInternalAddressIsBlocked() async throws {
        let server = try KeepAliveServer()
        let client = CurlClient()
        let first = try await client.send(CurlRequest(url: server.baseURL + "/a"))
        #expect(first.status == 200)

        let result = await outcome(of: CurlRequest(url: server.baseURL + "/b", connectPolicy: Self.publicOnly), with: client)

        #expect(result.error == .blockedAddress)
        // Without the reuse check the second request would have gone out on the first connection.
        #expect(server.paths == ["/a"])
        #expect(server.connections == 1)
    }

    @Test func reusedConnectionToTheConfiguredHostIsFine() async throws {
        let server = try KeepAliveServer()
        let client = CurlClient()
        _ = try await client.send(CurlRequest(url: server.baseURL + "/a"))
        let policy = ConnectPolicy.publicAddressesOnly(exceptHostOf: server.baseURL + "/b")
        let response = try await client.send(CurlRequest(url: server.baseURL + "/b", connectPolicy: policy))
        #expect(response.status == 200)
        #expect(server.paths == ["/a", "/b"])
        #expect(server.connections == 1)
    }

    @Test func fileURLsStillReadUnderTheGuard() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("guard-\(UUID().uuidString).xml").path
        try Data("<rss/>".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let response = try await CurlClient().send(CurlRequest(url: "file://" + path, connectPolicy: Self.publicOnly))
        #expect(String(decoding: response.body, as: UTF8.self) == "<rss/>")
    }
}

private struct KeepAliveServerError: Error {}

/// A loopback HTTP/1.1 server that keeps connections open (LoopbackHTTPServer always closes them), so a client
/// can reuse one. Answers every request with 200 "ok".
private final class KeepAliveServer: @unchecked Sendable {
    private struct Record { var paths: [String] = []; var connections = 0 }
    private let record = Mutex(Record())
    private let listenFD: Int32
    private let stopped = Mutex(false)
    private let done = DispatchGroup()
    let port: Int

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var paths: [String] { record.withLock { $0.paths } }
    var connections: Int { record.withLock { $0.connections } }

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard fd >= 0, bound else { close(fd); throw KeepAliveServerError() }
        listenFD = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        done.enter()
        Thread { [self] in acceptLoop(); done.leave() }.start()
    }

    deinit {
        stopped.withLock { $0 = true }
        shutdown(listenFD, Int32(SHUT_RDWR))
        done.wait()
        close(listenFD)
    }

    private func acceptLoop() {
        while !stopped.withLock({ $0 }) {
            let fd = accept(listenFD, nil, nil)
            guard fd >= 0 else { return }
            record.withLock { $0.connections += 1 }
            done.enter()
            Thread { [self] in serve(fd); close(fd); done.leave() }.start()
        }
    }

    private func serve(_ fd: Int32) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while !stopped.withLock({ $0 }) {
            guard poll(&pollFD, 1, 100) >= 0 else { return }
            guard pollFD.revents != 0 else { continue }
            let count = read(fd, &chunk, chunk.count)
            guard count > 0 else { return }
            buffer += chunk[..<count]
            while let end = buffer.firstRange(of: Array("\r\n\r\n".utf8)) {
                let head = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
                buffer.removeSubrange(..<end.upperBound)
                let path = head.split(separator: " ").dropFirst().first.map(String.init) ?? ""
                record.withLock { $0.paths.append(path) }
                let reply = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok".utf8)
                guard write(fd, reply, reply.count) == reply.count else { return }
            }
        }
    }
}

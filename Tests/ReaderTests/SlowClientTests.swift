import Foundation
import Testing
import AppTestSupport
@testable import Newsroom

/// Security review, issue 9 item 4: slow clients and request sizes are bounded. Over a real socket, with a
/// short connection timeout and a small connection bound where the test is about them. Every wait has a
/// generous give-up; none asserts how fast the server was.
@Suite struct SlowClientTests {
    static let halfAHead = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "

    static func live<T: Sendable>(timeout: Duration = .seconds(1), maxConnections: Int = 512,
                                  _ body: @Sendable (AppHarness, _ port: Int) async throws -> T) async throws -> T {
        try await AppHarness.run(mode: .live, configure: { config in
            config.connectionTimeout = timeout
            config.maxConnections = maxConnections
        }) { h in try await body(h, try #require(h.port)) }
    }

    // MARK: Read timeout

    @Test func aHalfSentHeadIsClosedAfterTheTimeout() async throws {
        try await Self.live { _, port in
            let client = try RawConnection(port: port)
            client.send(Self.halfAHead)
            let (received, outcome) = await client.readUntilClosed()
            #expect(outcome == .closed, "a half-sent head held the connection open")
            #expect(received.isEmpty, "the server answered a request it never got: \(received.prefix(80))")
        }
    }

    /// The classic slowloris: a header byte now and then never completes the head.
    @Test func aTrickledHeadIsClosedAfterTheTimeout() async throws {
        try await Self.live { _, port in
            let client = try RawConnection(port: port)
            let endless = Self.halfAHead + String(repeating: "a", count: 200)
            #expect(await client.trickle(endless, interval: 0.2) == .closed, "a head sent a byte at a time held the connection open")
        }
    }

    @Test func aStalledBodyIsClosedAfterTheTimeout() async throws {
        try await Self.live { _, port in
            let client = try RawConnection(port: port)
            client.send("POST /logout HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ncsrf=")
            let (received, outcome) = await client.readUntilClosed()
            #expect(outcome == .closed, "a half-sent body held the connection open")
            #expect(!received.contains("200 OK"))
        }
    }

    /// Each byte would restart an idle timer; the request as a whole still has to arrive within the timeout.
    @Test func aTrickledBodyIsClosedAfterTheTimeout() async throws {
        try await Self.live { _, port in
            let client = try RawConnection(port: port)
            client.send("POST /logout HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\n")
            let outcome = await client.trickle("csrf=" + String(repeating: "a", count: 195), interval: 0.2)
            #expect(outcome == .closed, "a body sent a byte at a time held the connection open")
        }
    }

    // MARK: Connection bound

    /// At the bound a newcomer waits, unanswered, and is served as soon as a connection closes.
    @Test func pastTheBoundANewcomerWaitsForAFreeConnection() async throws {
        // A long timeout, so only the test's own hang-up frees a connection.
        try await Self.live(timeout: .seconds(30), maxConnections: 2) { _, port in
            // Each holder had a whole answer, so the server took it; keep-alive keeps it.
            var holders: [RawConnection] = []
            for _ in 0..<2 {
                let holder = try RawConnection(port: port)
                holder.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                try #require(await holder.read(until: "\r\n\r\nok\n") != nil, "a holder was not served")
                holders.append(holder)
            }
            let newcomer = try RawConnection(port: port)
            newcomer.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            #expect(await !newcomer.hearsAnything(within: 1), "the server took a connection past its bound")
            holders.removeFirst()  // closes it
            let (answer, _) = await newcomer.readUntilClosed()
            #expect(answer.hasPrefix("HTTP/1.1 200"), "the newcomer was not served once a connection closed: \(answer.prefix(80))")
        }
    }

    /// Stalled clients fill every connection; the timeout cuts them, so `/healthz` is answered, not starved.
    @Test func healthzIsAnsweredWhileStalledClientsFillEveryConnection() async throws {
        try await Self.live(timeout: .seconds(1), maxConnections: 3) { _, port in
            let stalled = try (0..<6).map { _ in try RawConnection(port: port) }
            for client in stalled { client.send(Self.halfAHead) }
            let probe = try RawConnection(port: port)
            probe.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            let (answer, _) = await probe.readUntilClosed(giveUp: 30)
            #expect(answer.hasPrefix("HTTP/1.1 200"), "/healthz was not answered: \(answer.prefix(80))")
            #expect(answer.hasSuffix("ok\n"))
        }
    }

    // MARK: Body limit

    /// A GET never reads its body: a declared gigabyte is refused from the head alone, and the connection ends.
    @Test func aDeclaredOversizeBodyOnAGetIs413AndCutOff() async throws {
        try await Self.live(timeout: .seconds(30)) { _, port in
            let client = try RawConnection(port: port)
            client.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1073741824\r\n\r\n")
            client.send(String(repeating: "x", count: 64 * 1024))
            let (answer, outcome) = await client.readUntilClosed()
            #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(80))")
            #expect(answer.contains("Too large"))
            #expect(answer.lowercased().contains("connection: close"))
            #expect(answer.lowercased().contains("x-content-type-options: nosniff"))
            #expect(outcome == .closed, "the server kept reading the rest of the body")
        }
    }

    @Test func aChunkedOversizeBodyOnAGetIs413AndCutOff() async throws {
        try await Self.live(timeout: .seconds(30)) { _, port in
            let client = try RawConnection(port: port)
            client.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n")
            let chunk = "1000\r\n" + String(repeating: "x", count: 4096) + "\r\n"
            // 64 KiB, four times the limit, and no last chunk: the body would go on for ever.
            for _ in 0..<16 { client.send(chunk) }
            let (answer, outcome) = await client.readUntilClosed()
            #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(80))")
            #expect(outcome == .closed, "the server kept reading the rest of the body")
        }
    }

    /// Under the limit, a body on a GET is read and ignored as before.
    @Test func aSmallBodyOnAGetIsStillServed() async throws {
        try await Self.live(timeout: .seconds(30)) { _, port in
            let client = try RawConnection(port: port)
            client.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
            let (answer, _) = await client.readUntilClosed()
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(80))")
        }
    }

    @Test func anOversizeSignOutIs413AndCutOffAndTheMemberStaysSignedIn() async throws {
        try await Self.live(timeout: .seconds(30)) { h, port in
            let member = try await h.signedIn(as: "octocat")
            let cookie = "\(h.sessionCookie)=\(try #require(member.cookie(h.sessionCookie)))"
            let csrf = try #require(try await member.get("/me").body.firstMatch(of: /name="csrf" value="([^"]+)"/)?.1)
            let client = try RawConnection(port: port)
            client.send("POST /logout HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: \(cookie)\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1073741824\r\n\r\ncsrf=\(csrf)&padding=")
            client.send(String(repeating: "x", count: 64 * 1024))
            let (answer, outcome) = await client.readUntilClosed()
            #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(80))")
            #expect(outcome == .closed, "the server kept reading the rest of the body")
            #expect(try await member.get("/me").status == 200, "a refused sign-out ended the session")

            // Through an ordinary client (curl, whole body sent) the same: refused, still signed in.
            let padded = try await member.post("/logout", form: [("csrf", String(csrf)), ("padding", String(repeating: "x", count: 64 * 1024))])
            #expect(padded.status == 413)
            #expect(try await member.get("/me").status == 200)
        }
    }

    @Test func anOrdinarySignOutStillWorks() async throws {
        try await Self.live { h, _ in
            let member = try await h.signedIn(as: "octocat")
            let csrf = try #require(try await member.get("/me").body.firstMatch(of: /name="csrf" value="([^"]+)"/)?.1)
            let done = try await member.post("/logout", form: [("csrf", String(csrf))])
            #expect(done.status == 302)
            #expect(done.location == "/")
            #expect(try await member.get("/").body.contains("Signed out"))
        }
    }
}

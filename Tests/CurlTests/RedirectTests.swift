import CCurl
@testable import Curl
import Testing
import TestSupport

@Suite("Redirects")
struct RedirectTests {
    @Test func chainIsFollowedWithEffectiveURLAndCount() async throws {
        let server = try LoopbackHTTPServer { request in
            switch request.path {
            case "/a": .redirect(to: "/b", status: 301)
            case "/b": .redirect(to: "/c?page=2", status: 302)
            default: .text("arrived at \(request.path)")
            }
        }
        let response = try await CurlClient().send(CurlRequest(url: server.baseURL + "/a"))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "arrived at /c?page=2")
        #expect(response.effectiveURL == server.baseURL + "/c?page=2")
        #expect(response.redirectCount == 2)
        #expect(server.requests.map(\.path) == ["/a", "/b", "/c?page=2"])
    }

    @Test func redirectLoopFailsWithTooManyRedirects() async throws {
        let server = try server(answering: .redirect(to: "/loop"))
        let result = await outcome(of: CurlRequest(url: server.baseURL + "/loop", maxRedirects: 3), with: CurlClient())
        #expect(result.error == .tooManyRedirects(limit: 3))
        #expect(server.requests.count == 4)
    }

    @Test func maxRedirectsZeroReturnsTheRedirect() async throws {
        let server = try server(answering: .redirect(to: "/elsewhere"))
        let response = try await CurlClient().send(CurlRequest(url: server.baseURL + "/start", maxRedirects: 0))
        #expect(response.status == 302)
        #expect(response.header("Location") == "/elsewhere")
        #expect(response.redirectCount == 0)
        #expect(server.requests.count == 1)
    }

    @Test(arguments: ["ftp://127.0.0.1/feed.xml", "gopher://127.0.0.1/1", "file:///etc/passwd"])
    func redirectToAnotherProtocolIsRefused(target: String) async throws {
        let server = try server(answering: .redirect(to: target))
        let result = await outcome(of: CurlRequest(url: server.baseURL + "/"), with: CurlClient())
        let scheme = String(target.prefix { $0 != ":" })
        #expect(result.error == .unsupportedScheme(scheme))
    }

    @Test func httpsToPlainHTTPServerFailsTLS() async throws {
        let server = try server(answering: .text("plain"))
        let result = await outcome(of: CurlRequest(url: "https://127.0.0.1:\(server.port)/", totalTimeout: .seconds(5)), with: CurlClient())
        guard case .tls? = result.error else { Issue.record("expected a TLS error, got \(result)"); return }
    }

    @Test func refusedRedirectFromHTTPSToHTTPIsInsecureRedirect() throws {
        // No TLS server in tests: feed the transfer the redirect curl would have refused and check the mapping.
        let transfer = try Transfer(request: CurlRequest(url: "https://news.example/feed"), userAgent: "t")
        Array("HTTP/1.1 301 Moved\r\n".utf8).withUnsafeBufferPointer { transfer.receiveHeaderLine($0) }
        Array("Location: http://news.example/feed\r\n".utf8).withUnsafeBufferPointer { transfer.receiveHeaderLine($0) }
        #expect(CurlError(code: CURLE_UNSUPPORTED_PROTOCOL, transfer: transfer) == .insecureRedirect)
    }

    @Test func refusedRedirectFromHTTPSToFTPIsUnsupportedScheme() throws {
        let transfer = try Transfer(request: CurlRequest(url: "https://news.example/feed"), userAgent: "t")
        Array("Location: ftp://news.example/feed\r\n".utf8).withUnsafeBufferPointer { transfer.receiveHeaderLine($0) }
        #expect(CurlError(code: CURLE_UNSUPPORTED_PROTOCOL, transfer: transfer) == .unsupportedScheme("ftp"))
    }
}

import Curl
import Foundation
import Testing
import TestSupport

@Suite("Requests and responses")
struct RequestResponseTests {
    @Test func getReturnsStatusHeadersAndBody() async throws {
        let server = try server(answering: .text("hello", headers: [(name: "X-Feed-Id", value: "bbc")]))
        let response = try await CurlClient().send(CurlRequest(url: server.baseURL + "/feed?x=1"))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "hello")
        #expect(response.header("x-feed-id") == "bbc")
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(response.effectiveURL == server.baseURL + "/feed?x=1")
        #expect(response.redirectCount == 0)
        #expect(server.requests.map(\.path) == ["/feed?x=1"])
    }

    @Test func requestHeadersAndUserAgentArrive() async throws {
        let server = try server(answering: .text("ok"))
        let client = CurlClient(userAgent: "newsroom-test/9")
        _ = try await client.send(CurlRequest(url: server.baseURL + "/", headers: [
            (name: "Accept", value: "application/rss+xml"), (name: "X-Trace", value: "abc 123"), (name: "X-Empty", value: ""),
        ]))
        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(request.header("User-Agent") == "newsroom-test/9")
        #expect(request.header("Accept") == "application/rss+xml")
        #expect(request.header("X-Trace") == "abc 123")
        #expect(request.header("X-Empty") == "")
        #expect(request.header("Accept-Encoding")?.contains("gzip") == true)
        #expect(request.header("Expect") == nil)
    }

    @Test func defaultUserAgentNamesNewsroom() async throws {
        let server = try server(answering: .text("ok"))
        _ = try await CurlClient().send(CurlRequest(url: server.baseURL + "/"))
        #expect(server.requests.first?.header("User-Agent") == "newsroom/0.1 (+https://github.com/newsroom)")
    }

    @Test func postSendsTheFormBody() async throws {
        let server = try server(answering: .text("created", status: 201))
        let form = "client_id=abc&code=x%20y&state=s"
        let response = try await CurlClient().send(CurlRequest(
            method: "POST", url: server.baseURL + "/login/oauth/access_token",
            headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded"), (name: "Accept", value: "application/json")],
            body: Array(form.utf8)))
        #expect(response.status == 201)
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.bodyText == form)
        #expect(request.header("Content-Length") == String(form.utf8.count))
        #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
    }

    @Test func postWithoutBodySendsZeroLength() async throws {
        let server = try server(answering: .text("ok"))
        _ = try await CurlClient().send(CurlRequest(method: "POST", url: server.baseURL + "/"))
        #expect(server.requests.first?.method == "POST")
        #expect(server.requests.first?.header("Content-Length") == "0")
    }

    @Test(arguments: ["DELETE", "PUT", "PATCH"])
    func otherMethodsUseCustomRequest(method: String) async throws {
        let server = try server(answering: ScriptedResponse(status: 204))
        let body: [UInt8]? = method == "DELETE" ? nil : Array("{\"a\":1}".utf8)
        let response = try await CurlClient().send(CurlRequest(method: method, url: server.baseURL + "/grant", body: body))
        #expect(response.status == 204)
        #expect(server.requests.first?.method == method)
        #expect(server.requests.first?.body == (body ?? []))
    }

    @Test func headReturnsHeadersWithoutBody() async throws {
        let server = try server(answering: .text("not sent for HEAD"))
        let response = try await CurlClient().send(CurlRequest(method: "HEAD", url: server.baseURL + "/"))
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(response.header("Content-Length") == "17")
    }

    @Test(arguments: [404, 500, 429, 503])
    func errorStatusesAreResponses(status: Int) async throws {
        let server = try server(answering: .text("nope", status: status, headers: [(name: "Retry-After", value: "120")]))
        let response = try await CurlClient().send(CurlRequest(url: server.baseURL + "/"))
        #expect(response.status == status)
        #expect(response.header("Retry-After") == "120")
        #expect(throws: CurlError.httpStatus(status)) { try response.requireSuccess() }
    }

    @Test func requireSuccessPassesTwoHundreds() async throws {
        let server = try server(answering: ScriptedResponse(status: 204))
        let response = try await CurlClient().send(CurlRequest(url: server.baseURL + "/"))
        #expect(try response.requireSuccess().status == 204)
    }

    @Test func gzipBodyIsDecoded() async throws {
        let server = try server(answering: ScriptedResponse(headers: [(name: "Content-Encoding", value: "gzip")], body: gzippedGreeting))
        let response = try await CurlClient().send(CurlRequest(url: server.baseURL + "/"))
        #expect(String(decoding: response.body, as: UTF8.self) == greeting)
    }

    @Test func corruptGzipIsATransferError() async throws {
        let server = try server(answering: ScriptedResponse(headers: [(name: "Content-Encoding", value: "gzip")], body: Array("not gzip at all".utf8)))
        let result = await outcome(of: CurlRequest(url: server.baseURL + "/"), with: CurlClient())
        guard case .transfer(let code, _)? = result.error else { Issue.record("expected a transfer error, got \(result)"); return }
        #expect(code == 61)  // CURLE_BAD_CONTENT_ENCODING
    }

    @Test func onlyTheFinalResponseHeadersAreKept() async throws {
        let server = try LoopbackHTTPServer { request in
            request.path == "/start"
                ? ScriptedResponse(status: 302, headers: [(name: "Location", value: "/end"), (name: "X-Hop", value: "1")])
                : .text("end")
        }
        let response = try await CurlClient().send(CurlRequest(url: server.baseURL + "/start"))
        #expect(response.header("X-Hop") == nil)
        #expect(response.header("Location") == nil)
        #expect(response.headers.filter { $0.name.lowercased() == "content-type" }.count == 1)
    }

    @Test func fileURLReadsALocalFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("curl-test-\(UUID().uuidString).xml").path
        try Data("<rss/>".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let response = try await CurlClient().send(CurlRequest(url: "file://" + path))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "<rss/>")
    }

    @Test func missingFileIsAnError() async throws {
        let result = await outcome(of: CurlRequest(url: "file:///nonexistent/\(UUID().uuidString).xml"), with: CurlClient())
        guard case .transfer(let code, _)? = result.error else { Issue.record("expected a transfer error, got \(result)"); return }
        #expect(code == 37)  // CURLE_FILE_COULDNT_READ_FILE
    }
}

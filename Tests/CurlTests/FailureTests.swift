import Curl
import Foundation
import Testing
import TestSupport

@Suite("Failures map to typed errors")
struct FailureTests {
    @Test func declaredBodyOverCapIsTooLarge() async throws {
        let server = try server(answering: ScriptedResponse(body: [UInt8](repeating: 65, count: 5000)))
        let result = await outcome(of: CurlRequest(url: server.baseURL + "/", maxBodyBytes: 1000), with: CurlClient())
        #expect(result.error == .tooLarge(limit: 1000))
    }

    @Test func endlessBodyIsCutOffAtTheCap() async throws {
        let server = try server(answering: ScriptedResponse(behaviour: .endlessBody))
        let result = await outcome(of: CurlRequest(url: server.baseURL + "/", maxBodyBytes: 100_000), with: CurlClient())
        #expect(result.error == .tooLarge(limit: 100_000))
        #expect(await server.waitForClosedConnections(count: 1) == [.clientHungUp])
    }

    @Test func bodyExactlyAtTheCapIsAccepted() async throws {
        let server = try server(answering: ScriptedResponse(body: [UInt8](repeating: 66, count: 1000)))
        let response = try await CurlClient().send(CurlRequest(url: server.baseURL + "/", maxBodyBytes: 1000))
        #expect(response.body.count == 1000)
    }

    @Test func stallBeforeHeadersTimesOut() async throws {
        let server = try server(answering: ScriptedResponse(behaviour: .stallBeforeHeaders(seconds: 20)))
        let result = await outcome(of: CurlRequest(url: server.baseURL + "/", totalTimeout: .milliseconds(500)), with: CurlClient())
        #expect(result.error == .timeout)
    }

    @Test func stallAfterHeadersTripsTheLowSpeedWindow() async throws {
        let server = try server(answering: ScriptedResponse(body: Array("never".utf8), behaviour: .stallAfterHeaders(seconds: 20)))
        let request = CurlRequest(url: server.baseURL + "/", lowSpeedBytesPerSecond: 1, lowSpeedWindow: .seconds(1))
        let result = await outcome(of: request, with: CurlClient())
        #expect(result.error == .timeout)
    }

    @Test func slowDripWithinLimitsArrivesWhole() async throws {
        let server = try server(answering: ScriptedResponse(body: Array("drip".utf8), behaviour: .drip(intervalMilliseconds: 50)))
        let response = try await CurlClient().send(CurlRequest(url: server.baseURL + "/"))
        #expect(String(decoding: response.body, as: UTF8.self) == "drip")
    }

    @Test func shortBodyIsATransferError() async throws {
        let server = try server(answering: ScriptedResponse(body: Array("half".utf8), behaviour: .declaredLength(100)))
        let result = await outcome(of: CurlRequest(url: server.baseURL + "/"), with: CurlClient())
        guard case .transfer(let code, _)? = result.error else { Issue.record("expected a transfer error, got \(result)"); return }
        #expect(code == 18)  // CURLE_PARTIAL_FILE
    }

    @Test func closeWithoutResponseIsATransferError() async throws {
        let server = try server(answering: ScriptedResponse(behaviour: .closeWithoutResponse))
        let result = await outcome(of: CurlRequest(url: server.baseURL + "/"), with: CurlClient())
        guard case .transfer(let code, _)? = result.error else { Issue.record("expected a transfer error, got \(result)"); return }
        #expect(code == 52)  // CURLE_GOT_NOTHING
    }

    @Test func garbageInsteadOfAStatusLineIsATransferError() async throws {
        let server = try server(answering: ScriptedResponse(body: Array("garbage without a status line\r\n\r\n".utf8), behaviour: .rawBytes))
        let result = await outcome(of: CurlRequest(url: server.baseURL + "/"), with: CurlClient())
        guard case .transfer? = result.error else { Issue.record("expected a transfer error, got \(result)"); return }
    }

    @Test func hugeResponseHeaderIsATransferError() async throws {
        let huge = String(repeating: "a", count: 300 * 1024)
        let server = try server(answering: ScriptedResponse(headers: [(name: "X-Huge", value: huge)], body: Array("x".utf8)))
        let result = await outcome(of: CurlRequest(url: server.baseURL + "/"), with: CurlClient())
        guard case .transfer? = result.error else { Issue.record("expected a transfer error, got \(result)"); return }
    }

    @Test func nothingListeningIsConnect() async throws {
        let server = try server(answering: .text("gone"))
        let port = server.port
        server.stop()
        let result = await outcome(of: CurlRequest(url: "http://127.0.0.1:\(port)/"), with: CurlClient())
        #expect(result.error == .connect(host: "127.0.0.1"))
    }

    @Test func unresolvableHostIsDNSAndKeepsTheQueryOutOfTheMessage() async throws {
        let result = await outcome(of: CurlRequest(url: "http://nonexistent.invalid/feed?token=s3cret"), with: CurlClient())
        #expect(result.error == .dns(host: "nonexistent.invalid"))
        #expect(result.error.map { !String(describing: $0).contains("s3cret") } == true)
    }

    @Test(arguments: ["", "not a url", "http://", "http//missing-colon", "http://exa mple.com/", "http://host/\u{7F}"])
    func malformedURLIsInvalidURL(url: String) async {
        let result = await outcome(of: CurlRequest(url: url), with: CurlClient())
        #expect(result.error == .invalidURL)
    }

    @Test(arguments: ["ftp", "gopher", "ldap", "scp"])
    func otherSchemesAreUnsupported(scheme: String) async {
        let result = await outcome(of: CurlRequest(url: "\(scheme)://127.0.0.1/x"), with: CurlClient())
        #expect(result.error == .unsupportedScheme(scheme))
    }

    @Test func headerValueWithLineBreakIsRejectedWithoutEchoingIt() async throws {
        let server = try server(answering: .text("ok"))
        let request = CurlRequest(url: server.baseURL + "/", headers: [(name: "X-Token", value: "secret\r\nX-Injected: 1")])
        let result = await outcome(of: request, with: CurlClient())
        guard case .invalidRequest(let message)? = result.error else { Issue.record("expected invalidRequest, got \(result)"); return }
        #expect(!message.contains("secret"))
        #expect(server.requests.isEmpty)
    }

    @Test(arguments: ["", "X Bad", "X:Bad", "Bad\n"])
    func malformedHeaderNameIsRejected(name: String) async {
        let result = await outcome(of: CurlRequest(url: "http://127.0.0.1:1/", headers: [(name: name, value: "v")]), with: CurlClient())
        guard case .invalidRequest? = result.error else { Issue.record("expected invalidRequest, got \(result)"); return }
    }

    @Test(arguments: ["", "GE T", "GET\r\nX: y"])
    func malformedMethodIsRejected(method: String) async {
        let result = await outcome(of: CurlRequest(method: method, url: "http://127.0.0.1:1/"), with: CurlClient())
        guard case .invalidRequest? = result.error else { Issue.record("expected invalidRequest, got \(result)"); return }
    }
}

import Curl
import Foundation
import GitHub
import GitHubSandbox
import Hummingbird
import Testing

/// What the sandbox's router answers beyond its known endpoints, and how it mounts in another app's router.
@Suite struct SandboxRoutingTests {
    static let ua: (name: String, value: String) = ("User-Agent", "raw/1")

    static func json(_ response: CurlResponse) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
    }

    @Test func unknownPathsGetGitHubShaped404sAndAreLogged() async throws {
        try await withSandbox { h in
            let token = try await h.login(1).token
            let api = h.sandbox.apiURL!
            let bearer: (name: String, value: String) = ("Authorization", "Bearer \(token)")
            // API paths pass the API's gates first: User-Agent, then authentication.
            #expect(try await h.curl.send(CurlRequest(url: api + "nowhere")).status == 403)
            #expect(try await h.curl.send(CurlRequest(url: api + "nowhere", headers: [Self.ua])).status == 401)
            for url in [api + "nowhere/at/all", api, api + "user/memberships/orgs/", String(api.dropLast())] {
                let response = try await h.curl.send(CurlRequest(url: url, headers: [Self.ua, bearer]))
                #expect(response.status == 404, "\(url)")
                #expect(Self.json(response)?["message"] as? String == "Not Found", "\(url)")
                #expect(response.header("X-RateLimit-Limit") == "5000" && response.header("X-OAuth-Scopes") == "read:org", "\(url)")
            }
            // A known path with another method is unknown too.
            #expect(try await h.curl.send(CurlRequest(method: "POST", url: api + "user", headers: [Self.ua, bearer])).status == 404)
            // Below /applications the caller is an app: no user token asked for.
            let app = try await h.curl.send(CurlRequest(method: "DELETE", url: api + "applications/x/nope", headers: [Self.ua]))
            #expect(app.status == 404 && Self.json(app)?["status"] as? String == "404")
            // Web paths get the bare HTML page.
            for url in [h.sandbox.authURL! + "nope", h.sandbox.origin! + "/elsewhere"] {
                let page = try await h.curl.send(CurlRequest(url: url))
                #expect(page.status == 404 && page.header("Content-Type")?.hasPrefix("text/html") == true, "\(url)")
            }
            let logged = h.sandbox.requests.filter { $0.path == "/elsewhere" }
            #expect(logged.map(\.endpoint) == [.notFound] && logged.map(\.status) == [404])
        }
    }

    @Test func unreadableOrOversizedRequestsAreClear4xx() async throws {
        try await withSandbox { h in
            let authorize = h.sandbox.authURL! + "authorize"
            let query = "?client_id=\(GitHubSandbox.demoClientID)"
            for url in [authorize + query + "&state=a&state=b", authorize + query + "&state=%zz", authorize + query + "&state[x]=1"] {
                let page = try await h.browse(url)
                #expect(page.status == 400 && page.header("Content-Type")?.hasPrefix("text/html") == true, "\(url)")
            }
            #expect(try await h.browse(authorize, method: "POST", form: "authorization_request=%zz").status == 400)
            let huge = try await h.curl.send(CurlRequest(method: "POST", url: h.sandbox.authURL! + "access_token",
                                                         body: Array(repeating: UInt8(ascii: "a"), count: 300 * 1024)))
            #expect(huge.status == 413)
            #expect(h.sandbox.requests.last?.endpoint == .accessToken && h.sandbox.requests.last?.status == 413)
        }
    }

    @Test func tokenEndpointReadsJSONNumbersAndEscapesXML() async throws {
        try await withSandbox { h in
            h.sandbox.registerApp(SandboxOAuthApp(clientID: "42", clientSecret: "s<&>", callbackURL: callbackURL))
            let url = h.sandbox.authURL! + "access_token"
            let body = Array(#"{"client_id": 42, "client_secret": "s<&>", "code": "nope"}"#.utf8)
            let numeric = try await h.curl.send(CurlRequest(method: "POST", url: url, headers: [("Accept", "application/json"), ("Content-Type", "application/json")], body: body))
            #expect(Self.json(numeric)?["error"] as? String == "bad_verification_code")
            let xml = try await h.curl.send(CurlRequest(method: "POST", url: url + "?client_id=x&client_secret=y", headers: [("Accept", "application/xml")]))
            let text = String(decoding: xml.body, as: UTF8.self)
            #expect(text.hasPrefix("<OAuth><error>incorrect_client_credentials</error><error_description>"))
            #expect(text.contains("<error_description>The client_id and/or client_secret passed are incorrect.</error_description>"))
        }
    }

    /// The app's own router serves the sandbox under a prefix next to its own routes.
    @Test func mountsOnAnotherAppsRouter() async throws {
        let sandbox = GitHubSandbox.demo(callbackURL: callbackURL, webPrefix: "/_sandbox/github", apiPrefix: "/_sandbox/github/api/v3")
        let router = Router()
        router.get("/health") { _, _ in "ok" }
        sandbox.addRoutes(to: router)
        try await withHost(router) { origin in
            let curl = CurlClient(userAgent: "")
            defer { curl.shutdown() }
            let client = try GitHubClient.live(configuration: GitHubConfiguration(
                clientID: GitHubSandbox.demoClientID, clientSecret: sandbox.demoClientSecret, authURL: sandbox.authURL(origin: origin),
                apiURL: sandbox.apiURL(origin: origin), redirectURI: callbackURL, userAgent: "newsroom-tests/1.0"), curl: curl)
            let pkce = PKCE.generate()
            let harness = Harness(sandbox: sandbox, curl: curl, client: client)
            let page = try await harness.browse(client.authorizeURL(state: "s", codeChallenge: pkce.challenge, scopes: ["read:org"]))
            let requestID = try #require(Harness.hiddenValue("authorization_request", in: String(decoding: page.body, as: UTF8.self)))
            #expect(String(decoding: page.body, as: UTF8.self).contains(#"action="/_sandbox/github/login/oauth/authorize""#))
            let redirect = try await harness.browse(sandbox.authURL(origin: origin) + "authorize", method: "POST",
                                                    form: "authorization_request=\(requestID)&user_id=1&decision=approve")
            let code = try #require(harness.callbackQuery(redirect)?["code"])
            let token = try await client.exchangeCode(code, codeVerifier: pkce.verifier)
            #expect(try await client.user(token: token.token).login == "octocat")
            #expect(try await curl.send(CurlRequest(url: origin + "/health")).body == Array("ok".utf8))
            let unknown = try await curl.send(CurlRequest(url: sandbox.apiURL(origin: origin) + "nowhere", headers: [Self.ua]))
            #expect(unknown.status == 401 && Self.json(unknown)?["message"] as? String == "Requires authentication")
            // Without an origin of its own, the sandbox redirects relative to the host.
            let hubot = try #require(sandbox.grantToken(to: "hubot"))
            let member = try await curl.send(CurlRequest(url: sandbox.apiURL(origin: origin) + "orgs/acme/members/octocat",
                                                         headers: [Self.ua, ("Authorization", "Bearer \(hubot)")], maxRedirects: 0))
            #expect(member.header("Location") == "/_sandbox/github/api/v3/orgs/acme/public_members/octocat")
        }
    }

    @Test func handleAnswersLikeTheServer() async throws {
        let sandbox = GitHubSandbox.demo(callbackURL: callbackURL)
        let noAgent = await sandbox.handle(Request(head: .init(method: .get, scheme: "http", authority: "x", path: "/api/v3/user"), body: .init(buffer: .init())))
        let elsewhere = await sandbox.handle(Request(head: .init(method: .get, scheme: "http", authority: "x", path: "/elsewhere"), body: .init(buffer: .init())))
        #expect(noAgent.status == .forbidden && elsewhere.status == .notFound)
        #expect(sandbox.requests.map(\.endpoint) == [.user, .notFound])
    }

    /// The router `handle(_:)` keeps does not keep the sandbox alive.
    @Test func handlingDoesNotLeakTheSandbox() async {
        weak var released: GitHubSandbox?
        do {
            let sandbox = GitHubSandbox.demo(callbackURL: callbackURL)
            _ = await sandbox.handle(Request(head: .init(method: .get, scheme: "http", authority: "x", path: "/"), body: .init(buffer: .init())))
            released = sandbox
        }
        #expect(released == nil)
    }
}

/// Serves `router` on a loopback port while `body` runs; `body` gets the origin.
private func withHost(_ router: Router<BasicRequestContext>, _ body: @Sendable (String) async throws -> Void) async throws {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                          onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0); continuation.finish() })
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await app.runService() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        defer { tasks.cancelAll() }
        try await body("http://127.0.0.1:\(port)")
    }
}

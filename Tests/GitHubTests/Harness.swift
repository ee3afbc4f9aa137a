import Curl
import Foundation
import GitHub
import GitHubSandbox
import Testing

/// Never contacted: the "browser" below does not follow the callback redirect.
let callbackURL = "http://127.0.0.1:9/auth/github/callback"
let fixedNow = Date(timeIntervalSince1970: 1_800_000_000)

/// A running demo sandbox, a real CurlClient, and a GitHubClient configured against it.
struct Harness: Sendable {
    let sandbox: GitHubSandbox
    /// Sends no default User-Agent, so tests control that header.
    let curl: CurlClient
    let client: GitHubClient

    func configuration(redirectURI: String = callbackURL, clientSecret: String? = nil, usePKCE: Bool = true,
                       timeout: Duration = .seconds(10)) -> GitHubConfiguration {
        GitHubConfiguration(
            clientID: GitHubSandbox.demoClientID, clientSecret: clientSecret ?? sandbox.demoClientSecret,
            authURL: sandbox.authURL!, apiURL: sandbox.apiURL!, redirectURI: redirectURI, usePKCE: usePKCE,
            userAgent: "newsroom-tests/1.0", requestTimeout: timeout)
    }

    func makeClient(redirectURI: String = callbackURL, clientSecret: String? = nil, usePKCE: Bool = true,
                    timeout: Duration = .seconds(10)) throws(GitHubError) -> GitHubClient {
        let curl = self.curl
        return try GitHubClient(configuration: configuration(redirectURI: redirectURI, clientSecret: clientSecret, usePKCE: usePKCE, timeout: timeout),
                                now: { fixedNow }) {
            (request: CurlRequest) async throws(CurlError) -> CurlResponse in try await curl.send(request)
        }
    }

    /// A browser request that does not follow redirects.
    func browse(_ url: String, method: String = "GET", form: String? = nil, headers: [(name: String, value: String)] = [("User-Agent", "TestBrowser/1.0")]) async throws -> CurlResponse {
        var all = headers
        if form != nil { all.append(("Content-Type", "application/x-www-form-urlencoded")) }
        return try await curl.send(CurlRequest(method: method, url: url, headers: all, body: form.map { Array($0.utf8) }, maxRedirects: 0))
    }

    /// Opens the authorize URL, picks `userID` on the sandbox page, and returns the callback redirect.
    func pickUser(_ userID: Int64, at authorizeURL: String, decision: String = "approve") async throws -> CurlResponse {
        let page = try await browse(authorizeURL)
        try #require(page.status == 200)
        let requestID = try #require(Self.hiddenValue("authorization_request", in: String(decoding: page.body, as: UTF8.self)))
        return try await browse(sandbox.authURL! + "authorize", method: "POST",
                                form: "authorization_request=\(requestID)&user_id=\(userID)&decision=\(decision)")
    }

    /// The whole web flow for one user; returns the callback's query items and the PKCE pair used.
    func authorize(_ userID: Int64, scopes: [String] = ["read:org"], state: String = OAuthState.generate(),
                   client: GitHubClient? = nil) async throws -> (code: String, pkce: PKCE) {
        let pkce = PKCE.generate()
        let url = (client ?? self.client).authorizeURL(state: state, codeChallenge: pkce.challenge, scopes: scopes)
        let redirect = try await pickUser(userID, at: url)
        try #require(redirect.status == 302)
        let query = try #require(callbackQuery(redirect))
        #expect(query["state"] == state)
        return (try #require(query["code"]), pkce)
    }

    /// Signs in and exchanges the code: a live token for `userID`.
    func login(_ userID: Int64, scopes: [String] = ["read:org"]) async throws -> AccessToken {
        let (code, pkce) = try await authorize(userID, scopes: scopes)
        return try await client.exchangeCode(code, codeVerifier: pkce.verifier)
    }

    func callbackQuery(_ response: CurlResponse) -> [String: String]? {
        guard let location = response.header("Location"), let items = URLComponents(string: location)?.queryItems else { return nil }
        return Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
    }

    static func hiddenValue(_ name: String, in html: String) -> String? {
        guard let start = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return html[start.upperBound...].prefix { $0 != "\"" }.description
    }
}

/// Runs `body` against a fresh demo sandbox on a random loopback port.
func withSandbox(redirectMode: RedirectMode = .exact, apiPrefix: String = "/api/v3", webPrefix: String = "",
                 _ body: @Sendable (Harness) async throws -> Void) async throws {
    let sandbox = GitHubSandbox.demo(callbackURL: callbackURL, redirectMode: redirectMode, webPrefix: webPrefix,
                                     apiPrefix: apiPrefix, now: { fixedNow })
    try await sandbox.withRunningServer { sandbox in
        let curl = CurlClient(userAgent: "")
        defer { curl.shutdown() }
        let harness = Harness(sandbox: sandbox, curl: curl, client: try Harness.bootstrapClient(sandbox, curl))
        try await body(harness)
    }
}

extension Harness {
    static func bootstrapClient(_ sandbox: GitHubSandbox, _ curl: CurlClient) throws -> GitHubClient {
        try GitHubClient.live(configuration: GitHubConfiguration(
            clientID: GitHubSandbox.demoClientID, clientSecret: sandbox.demoClientSecret,
            authURL: sandbox.authURL!, apiURL: sandbox.apiURL!, redirectURI: callbackURL,
            userAgent: "newsroom-tests/1.0"), curl: curl, now: { fixedNow })
    }
}

/// Every secret-bearing value a test saw, to assert none leaks into an error description.
func expectNoSecrets(in error: GitHubError, secrets: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    let texts = [error.description, String(describing: error), String(reflecting: error)]
    for secret in secrets where !secret.isEmpty {
        for text in texts {
            #expect(!text.contains(secret), "error text leaks a secret: \(error.description.count) chars", sourceLocation: sourceLocation)
        }
    }
    #expect(texts.allSatisfy { $0.range(of: #"gh[oupr]_"#, options: .regularExpression) == nil }, sourceLocation: sourceLocation)
}

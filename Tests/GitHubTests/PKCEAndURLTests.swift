import Curl
import Foundation
import GitHub
import Testing

@Suite struct PKCEAndAuthorizeURLTests {
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    static let base64url = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    static func client(usePKCE: Bool = true, redirectURI: String = "https://news.example/auth/callback?x=1") throws -> GitHubClient {
        try GitHubClient(configuration: GitHubConfiguration(
            clientID: "Ov23li client&id", clientSecret: "s3cret", redirectURI: redirectURI, usePKCE: usePKCE, userAgent: "t/1")) {
            (_: CurlRequest) async throws(CurlError) -> CurlResponse in throw .timeout
        }
    }

    @Test func challengeMatchesRFC7636Vector() {
        let pkce = PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        #expect(pkce.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    @Test func verifiersAreUnreservedFreshAndRedacted() {
        let pairs = (0..<200).map { _ in PKCE.generate() }
        #expect(Set(pairs.map(\.verifier)).count == 200)
        for pkce in pairs {
            #expect((43...128).contains(pkce.verifier.count))
            #expect(pkce.verifier.unicodeScalars.allSatisfy { Self.unreserved.contains($0) })
            #expect(pkce.challenge.count == 43)
            #expect(pkce.challenge == PKCE.challenge(for: pkce.verifier))
            #expect(!"\(pkce)".contains(pkce.verifier) && !String(reflecting: pkce).contains(pkce.verifier))
        }
    }

    @Test func thousandStatesAreDistinctAndLongEnough() {
        let states = (0..<1000).map { _ in OAuthState.generate() }
        #expect(Set(states).count == 1000)
        #expect(states.allSatisfy { $0.count >= 22 && $0.unicodeScalars.allSatisfy { Self.base64url.contains($0) } })
    }

    @Test func authorizeURLCarriesEveryParameterEncoded() throws {
        let state = "a b+c/d?e=f&g%h~ü"
        let url = try Self.client().authorizeURL(state: state, codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                                                 scopes: ["read:org", "user:email"], allowSignup: false)
        #expect(url.hasPrefix("https://github.com/login/oauth/authorize?"))
        let query = try #require(URLComponents(string: url)?.queryItems)
        let items = Dictionary(query.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(items == [
            "client_id": "Ov23li client&id", "redirect_uri": "https://news.example/auth/callback?x=1",
            "scope": "read:org user:email", "state": state, "allow_signup": "false",
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256",
        ])
        // Nothing reserved survives unescaped in the query.
        let rawQuery = String(url.split(separator: "?", maxSplits: 1)[1])
        #expect(!rawQuery.contains(" ") && !rawQuery.contains("+") && !rawQuery.contains("?") && !rawQuery.contains("/"))
    }

    @Test func pkceOffSendsNoChallenge() throws {
        let url = try Self.client(usePKCE: false).authorizeURL(state: "s", codeChallenge: "x", scopes: [])
        #expect(!url.contains("code_challenge"))
        #expect(url.contains("scope=&"))
    }

    @Test(arguments: [
        ("", "secret", "https://a/cb", "https://github.com/login/oauth/", "clientID"),
        ("id", "", "https://a/cb", "https://github.com/login/oauth/", "clientSecret"),
        ("id", "secret", "javascript:alert(1)", "https://github.com/login/oauth/", "redirectURI"),
        ("id", "secret", "https://a/cb#frag", "https://github.com/login/oauth/", "redirectURI"),
        ("id", "secret", "https://a/cb", "ftp://github.com/", "authURL"),
    ])
    func invalidConfigurationIsRejected(clientID: String, secret: String, redirect: String, auth: String, field: String) {
        let config = GitHubConfiguration(clientID: clientID, clientSecret: secret, authURL: auth, redirectURI: redirect, userAgent: "t/1")
        #expect {
            try config.validate()
        } throws: { error in
            guard let error = error as? GitHubError, case .invalidConfiguration(let detail) = error else { return false }
            return detail.contains(field) && (secret.isEmpty || !error.description.contains(secret))
        }
    }

    @Test func baseURLsGainTrailingSlash() {
        let config = GitHubConfiguration(clientID: "i", clientSecret: "s", authURL: "https://ghe.example/login/oauth",
                                         apiURL: "https://ghe.example/api/v3", redirectURI: "https://a/cb", userAgent: "t")
        #expect(config.authURL == "https://ghe.example/login/oauth/")
        #expect(config.apiURL == "https://ghe.example/api/v3/")
    }

    @Test func grantedScopesCountImpliedOnes() {
        #expect(AccessToken(token: "t", scopes: ["admin:org"]).grants("read:org"))
        #expect(AccessToken(token: "t", scopes: ["write:org", "user"]).grants("read:org"))
        #expect(AccessToken(token: "t", scopes: ["user"]).grants("user:email"))
        #expect(!AccessToken(token: "t", scopes: ["read:user", "repo"]).grants("read:org"))
        #expect(!AccessToken(token: "t", scopes: []).grants("read:org"))
        #expect(!AccessToken(token: "t", scopes: ["read:org"]).grants("admin:org"))
    }

    @Test func accessTokenDescriptionIsRedacted() {
        let token = AccessToken(token: "gho_SECRETSECRET", scopes: ["read:org"])
        #expect(!"\(token)".contains("SECRET") && !String(reflecting: token).contains("SECRET"))
        #expect("\(token)".contains("read:org"))
    }
}

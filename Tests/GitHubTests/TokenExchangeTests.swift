import Curl
import Foundation
import GitHub
import GitHubSandbox
import Testing

@Suite struct TokenExchangeTests {
    @Test func pkceExchangeIssuesBearerTokenWithGrantedScopes() async throws {
        try await withSandbox { h in
            let (code, pkce) = try await h.authorize(1, scopes: ["read:org", "user:email"])
            let token = try await h.client.exchangeCode(code, codeVerifier: pkce.verifier)
            #expect(token.token.hasPrefix("gho_"))
            #expect(token.scopes == ["read:org", "user:email"])
            #expect(token.tokenType.lowercased() == "bearer")
            #expect(token.grants("read:org"))
            #expect(h.sandbox.tokenRequestCount == 1)
            let logged = try #require(h.sandbox.requests.last { $0.endpoint == .accessToken })
            #expect(logged.accept == "application/json" && logged.userAgent == "newsroom-tests/1.0")
        }
    }

    @Test func sandboxCanGrantFewerScopesThanAsked() async throws {
        try await withSandbox { h in
            h.sandbox.setGrantedScopes([])
            let token = try await h.login(1, scopes: ["read:org"])
            #expect(token.scopes.isEmpty && !token.grants("read:org"))
            // Without read:org the private membership is invisible: denied.
            #expect(await h.client.orgMembership(org: "acme", token: token.token) == .notMember)
        }
    }

    @Test func wrongOrMissingVerifierIsBadVerificationCode() async throws {
        try await withSandbox { h in
            let (code, _) = try await h.authorize(1)
            await #expect(throws: GitHubError.oauth(code: "bad_verification_code")) {
                try await h.client.exchangeCode(code, codeVerifier: PKCE.generate().verifier)
            }
            let (code2, _) = try await h.authorize(1)
            await #expect(throws: GitHubError.oauth(code: "bad_verification_code")) {
                try await h.client.exchangeCode(code2, codeVerifier: nil)
            }
        }
    }

    @Test func codeIsSingleUse() async throws {
        try await withSandbox { h in
            let (code, pkce) = try await h.authorize(1)
            _ = try await h.client.exchangeCode(code, codeVerifier: pkce.verifier)
            await #expect(throws: GitHubError.oauth(code: "bad_verification_code")) {
                try await h.client.exchangeCode(code, codeVerifier: pkce.verifier)
            }
        }
    }

    @Test func codeExpiresAfterTenMinutesOnTheSandboxClock() async throws {
        try await withSandbox { h in
            let (fresh, freshPKCE) = try await h.authorize(1)
            h.sandbox.advanceClock(by: 599)
            _ = try await h.client.exchangeCode(fresh, codeVerifier: freshPKCE.verifier)
            let (code, pkce) = try await h.authorize(1)
            h.sandbox.advanceClock(by: 600)
            await #expect(throws: GitHubError.oauth(code: "bad_verification_code")) {
                try await h.client.exchangeCode(code, codeVerifier: pkce.verifier)
            }
        }
    }

    @Test func wrongSecretIsIncorrectClientCredentials() async throws {
        try await withSandbox { h in
            let (code, pkce) = try await h.authorize(1)
            let wrong = try h.makeClient(clientSecret: "not-the-secret")
            await #expect(throws: GitHubError.oauth(code: "incorrect_client_credentials")) {
                try await wrong.exchangeCode(code, codeVerifier: pkce.verifier)
            }
        }
    }

    @Test func redirectURIDriftBetweenAuthorizeAndTokenIsRejected() async throws {
        try await withSandbox { h in
            let (code, pkce) = try await h.authorize(1)
            let drifted = try h.makeClient(redirectURI: callbackURL + "?next=/admin")
            await #expect(throws: GitHubError.oauth(code: "redirect_uri_mismatch")) {
                try await drifted.exchangeCode(code, codeVerifier: pkce.verifier)
            }
        }
    }

    @Test func withoutPKCETheFlowStillWorks() async throws {
        try await withSandbox { h in
            let client = try h.makeClient(usePKCE: false)
            let (code, _) = try await h.authorize(2, client: client)
            let token = try await client.exchangeCode(code, codeVerifier: "ignored")
            #expect(try await client.user(token: token.token).id == 2)
        }
    }

    /// Raw token requests the way other clients send them: query, form and JSON; Basic client auth.
    @Test func acceptsQueryFormAndJSONParametersAndBasicAuth() async throws {
        try await withSandbox { h in
            let tokenURL = h.sandbox.authURL! + "access_token"
            let secret = h.sandbox.demoClientSecret
            let json: [(name: String, value: String)] = [("Accept", "application/json"), ("User-Agent", "raw/1")]
            func exchange(_ build: (String, PKCE) -> CurlRequest) async throws -> [String: Any] {
                let (code, pkce) = try await h.authorize(1)
                let response = try await h.curl.send(build(code, pkce))
                #expect(response.status == 200)
                return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            }
            let query = try await exchange { code, pkce in
                CurlRequest(method: "POST", url: tokenURL + "?client_id=\(GitHubSandbox.demoClientID)&client_secret=\(secret)&code=\(code)&code_verifier=\(pkce.verifier)", headers: json)
            }
            let form = try await exchange { code, pkce in
                CurlRequest(method: "POST", url: tokenURL, headers: json + [("Content-Type", "application/x-www-form-urlencoded")],
                            body: Array("client_id=\(GitHubSandbox.demoClientID)&client_secret=\(secret)&code=\(code)&code_verifier=\(pkce.verifier)&grant_type=authorization_code".utf8))
            }
            let body = try await exchange { code, pkce in
                let object = ["client_id": GitHubSandbox.demoClientID, "client_secret": secret, "code": code, "code_verifier": pkce.verifier]
                return CurlRequest(method: "POST", url: tokenURL, headers: json + [("Content-Type", "application/json")],
                                   body: Array(try! JSONSerialization.data(withJSONObject: object)))
            }
            let basic = try await exchange { code, pkce in
                let credentials = Data("\(GitHubSandbox.demoClientID):\(secret)".utf8).base64EncodedString()
                return CurlRequest(method: "POST", url: tokenURL, headers: json + [("Authorization", "Basic \(credentials)"), ("Content-Type", "application/x-www-form-urlencoded")],
                                   body: Array("code=\(code)&code_verifier=\(pkce.verifier)".utf8))
            }
            for result in [query, form, body, basic] {
                #expect((result["access_token"] as? String)?.hasPrefix("gho_") == true)
                #expect(result["scope"] as? String == "read:org")
                #expect(result["token_type"] as? String == "bearer")
            }
        }
    }

    @Test func responseFormatFollowsAccept() async throws {
        try await withSandbox { h in
            let tokenURL = h.sandbox.authURL! + "access_token"
            func send(accept: String?) async throws -> CurlResponse {
                let (code, pkce) = try await h.authorize(1)
                let form = "client_id=\(GitHubSandbox.demoClientID)&client_secret=\(h.sandbox.demoClientSecret)&code=\(code)&code_verifier=\(pkce.verifier)"
                var headers: [(name: String, value: String)] = [("Content-Type", "application/x-www-form-urlencoded")]
                if let accept { headers.append(("Accept", accept)) }
                return try await h.curl.send(CurlRequest(method: "POST", url: tokenURL, headers: headers, body: Array(form.utf8)))
            }
            let form = String(decoding: try await send(accept: nil).body, as: UTF8.self)
            #expect(form.hasPrefix("access_token=gho_") && form.hasSuffix("&scope=read%3Aorg&token_type=bearer"))
            let xml = String(decoding: try await send(accept: "application/xml").body, as: UTF8.self)
            #expect(xml.hasPrefix("<OAuth><access_token>gho_") && xml.contains("<token_type>bearer</token_type>"))
            let json = try await send(accept: "application/json")
            #expect(json.header("Content-Type")?.hasPrefix("application/json") == true)

            // Errors are HTTP 200 in every format.
            let bad = try await h.curl.send(CurlRequest(method: "POST", url: tokenURL + "?client_id=x&client_secret=y&code=z"))
            #expect(bad.status == 200)
            #expect(String(decoding: bad.body, as: UTF8.self).hasPrefix("error=incorrect_client_credentials&"))
        }
    }

    /// Malformed token responses injected at the sandbox become typed errors.
    @Test(arguments: [
        (InjectedResponse(status: 200, headers: ["Content-Type": "text/html"], body: "<html>not json</html>"),
         GitHubError.malformedResponse(endpoint: .accessToken, detail: "not a JSON object")),
        (InjectedResponse(status: 200, body: "[1,2]"), .malformedResponse(endpoint: .accessToken, detail: "not a JSON object")),
        (InjectedResponse(status: 200, body: #"{"token_type":"bearer","scope":""}"#), .missingAccessToken),
        (InjectedResponse(status: 200, body: #"{"access_token":"gho_x","token_type":"mac"}"#), .unsupportedTokenType("mac")),
        (InjectedResponse(status: 200, body: #"{"access_token":"gho_x"}"#), .unsupportedTokenType("")),
        (InjectedResponse(status: 200, body: #"{"error":"<script>alert(1)</script>","error_description":"<b>hi</b>"}"#), .oauth(code: "unrecognized_error")),
        (InjectedResponse(status: 200, body: #"{"error":"unverified_user_email","error_description":"x"}"#), .oauth(code: "unverified_user_email")),
        (.serverError(502), .unexpectedStatus(502, endpoint: .accessToken)),
        (InjectedResponse(status: 400, body: "{}"), .unexpectedStatus(400, endpoint: .accessToken)),
        (.rateLimited(status: 429, retryAfter: 30), .rateLimited(RateLimit(retryAfter: 30, receivedAt: fixedNow))),
    ])
    func malformedTokenResponsesAreTypedErrors(injected: InjectedResponse, expected: GitHubError) async throws {
        try await withSandbox { h in
            h.sandbox.injectTokenResponses(injected)
            await #expect(throws: expected) { try await h.client.exchangeCode("code", codeVerifier: PKCE.generate().verifier) }
        }
    }

    @Test func bearerTokenTypeIsCaseInsensitive() async throws {
        try await withSandbox { h in
            h.sandbox.injectTokenResponses(InjectedResponse(status: 200, body: #"{"access_token":"gho_abc","token_type":"Bearer","scope":"read:org, user"}"#))
            let token = try await h.client.exchangeCode("code", codeVerifier: nil)
            #expect(token.scopes == ["read:org", "user"])
        }
    }
}

@Suite struct ExpiringTokenTests {
    @Test func expiringTokensRefreshAndRotate() async throws {
        try await withSandbox { h in
            h.sandbox.setExpiringTokens(true)
            let first = try await h.login(1)
            #expect(first.expiresIn == 28800 && first.refreshTokenExpiresIn == 15_897_600)
            let refresh = try #require(first.refreshToken)
            #expect(refresh.hasPrefix("ghr_"))
            #expect(!"\(first)".contains(refresh))

            h.sandbox.advanceClock(by: 28800)
            await #expect(throws: GitHubError.badCredentials) { try await h.client.user(token: first.token) }
            let second = try await h.client.refresh(refreshToken: refresh)
            #expect(second.token != first.token && second.refreshToken != refresh && second.scopes == first.scopes)
            #expect(try await h.client.user(token: second.token).id == 1)
            // The used refresh token is spent.
            await #expect(throws: GitHubError.oauth(code: "bad_refresh_token")) { try await h.client.refresh(refreshToken: refresh) }
        }
    }

    @Test func refreshRotationInvalidatesTheOldAccessToken() async throws {
        try await withSandbox { h in
            h.sandbox.setExpiringTokens(true)
            let first = try await h.login(1)
            let second = try await h.client.refresh(refreshToken: try #require(first.refreshToken))
            await #expect(throws: GitHubError.badCredentials) { try await h.client.user(token: first.token) }
            #expect(try await h.client.user(token: second.token).login == "octocat")
            h.sandbox.advanceClock(by: 15_897_600)
            await #expect(throws: GitHubError.oauth(code: "bad_refresh_token")) {
                try await h.client.refresh(refreshToken: try #require(second.refreshToken))
            }
        }
    }

    @Test func nonExpiringModeOmitsRefreshFields() async throws {
        try await withSandbox { h in
            let token = try await h.login(1)
            #expect(token.expiresIn == nil && token.refreshToken == nil && token.refreshTokenExpiresIn == nil)
        }
    }
}

import Curl
import Foundation
import GitHub
import GitHubSandbox
import Testing

/// Malformed and hostile requests get GitHub-shaped answers from the sandbox, never a 500 or a token.
@Suite struct SandboxHostileInputTests {
    static func oauthError(_ response: CurlResponse) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["error"] as? String
    }

    @Test func malformedTokenRequestsGetOAuthErrors() async throws {
        try await withSandbox { h in
            let url = h.sandbox.authURL! + "access_token"
            let accept: (name: String, value: String) = ("Accept", "application/json")
            let cases: [(CurlRequest, String)] = [
                (CurlRequest(method: "POST", url: url, headers: [accept]), "incorrect_client_credentials"),
                (CurlRequest(method: "POST", url: url, headers: [accept, ("Content-Type", "application/json")], body: Array("{not json".utf8)), "invalid_request"),
                (CurlRequest(method: "POST", url: url, headers: [accept, ("Content-Type", "application/json")], body: Array("[\"client_id\"]".utf8)), "invalid_request"),
                (CurlRequest(method: "POST", url: url, headers: [accept, ("Authorization", "Basic !!!notbase64")], body: Array("code=x".utf8)), "incorrect_client_credentials"),
                (CurlRequest(method: "POST", url: url, headers: [accept], body: Array("client_id=%zz&client_secret=%&code".utf8)), "incorrect_client_credentials"),
                (CurlRequest(method: "POST", url: url, headers: [accept], body: [0xff, 0xfe, 0x00, 0x3d, 0x26]), "incorrect_client_credentials"),
                (CurlRequest(method: "POST", url: url + "?client_id=\(GitHubSandbox.demoClientID)&client_secret=\(h.sandbox.demoClientSecret)&grant_type=password", headers: [accept]), "unsupported_grant_type"),
                (CurlRequest(method: "POST", url: url + "?client_id=\(GitHubSandbox.demoClientID)&client_secret=\(h.sandbox.demoClientSecret)", headers: [accept]), "bad_verification_code"),
                (CurlRequest(method: "POST", url: url + "?client_id=\(GitHubSandbox.demoClientID)&client_secret=\(h.sandbox.demoClientSecret)&code=", headers: [accept]), "bad_verification_code"),
                (CurlRequest(method: "POST", url: url + "?client_id=\(GitHubSandbox.demoClientID)&client_secret=\(h.sandbox.demoClientSecret)&grant_type=refresh_token&refresh_token=ghr_x", headers: [accept]), "bad_refresh_token"),
            ]
            for (request, expected) in cases {
                let response = try await h.curl.send(request)
                #expect(response.status == 200)
                #expect(Self.oauthError(response) == expected, "\(expected)")
            }
            let get = try await h.curl.send(CurlRequest(url: url))
            #expect(get.status == 404)
        }
    }

    @Test func verifierMustBeWellFormedEvenIfItHashesRight() async throws {
        try await withSandbox { h in
            // A 42-character verifier is too short for RFC 7636 even when its hash is what was sent.
            let short = String(repeating: "a", count: 42)
            let client = try h.makeClient()
            let redirect = try await h.pickUser(1, at: client.authorizeURL(state: "s", codeChallenge: PKCE.challenge(for: short), scopes: []))
            let code = try #require(h.callbackQuery(redirect)?["code"])
            await #expect(throws: GitHubError.oauth(code: "bad_verification_code")) { try await client.exchangeCode(code, codeVerifier: short) }
        }
    }

    @Test func garbageAuthorizationGetsBadCredentials() async throws {
        try await withSandbox { h in
            for value in ["Bearer", "Bearer ", "Basic b2N0b2NhdDp4", "gho_without_scheme", "Bearer gho_" + String(repeating: "A", count: 300), "token a b c"] {
                let response = try await h.curl.send(CurlRequest(url: h.sandbox.apiURL! + "user", headers: [("User-Agent", "raw/1"), ("Authorization", value)]))
                #expect(response.status == 401, "\(value)")
                let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
                #expect(body["message"] as? String == "Bad credentials")
            }
        }
    }

    @Test func revocationEndpointRejectsMalformedCalls() async throws {
        try await withSandbox { h in
            let token = try await h.login(1).token
            let secret = h.sandbox.demoClientSecret
            let url = h.sandbox.apiURL! + "applications/\(GitHubSandbox.demoClientID)/token"
            func basic(_ user: String, _ password: String) -> (name: String, value: String) {
                ("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
            }
            let body = Array(#"{"access_token":"\#(token)"}"#.utf8)
            let ua: (name: String, value: String) = ("User-Agent", "raw/1")
            let cases: [(CurlRequest, Int)] = [
                (CurlRequest(method: "DELETE", url: url, headers: [ua], body: body), 401),
                (CurlRequest(method: "DELETE", url: url, headers: [ua, basic(GitHubSandbox.demoClientID, secret + "x")], body: body), 401),
                (CurlRequest(method: "DELETE", url: h.sandbox.apiURL! + "applications/other-app/token", headers: [ua, basic(GitHubSandbox.demoClientID, secret)], body: body), 401),
                (CurlRequest(method: "DELETE", url: url, headers: [ua, basic(GitHubSandbox.demoClientID, secret)], body: Array("nope".utf8)), 422),
                (CurlRequest(method: "DELETE", url: url, headers: [ua, basic(GitHubSandbox.demoClientID, secret)], body: Array(#"{"access_token":"gho_unknown"}"#.utf8)), 404),
                (CurlRequest(method: "DELETE", url: url, headers: [ua, ("Authorization", "Bearer \(token)")], body: body), 401),
            ]
            for (request, status) in cases {
                #expect(try await h.curl.send(request).status == status)
            }
            // None of that revoked anything; a checked token still works.
            let check = try await h.curl.send(CurlRequest(method: "POST", url: url, headers: [ua, basic(GitHubSandbox.demoClientID, secret)], body: body))
            #expect(check.status == 200)
            #expect(try await h.client.user(token: token).id == 1)
        }
    }
}

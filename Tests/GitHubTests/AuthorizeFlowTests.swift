import Curl
import Foundation
import GitHub
import GitHubSandbox
import Testing

@Suite struct AuthorizeFlowTests {
    @Test func pageListsEverySandboxUserAndEscapesInput() async throws {
        try await withSandbox { h in
            let url = h.client.authorizeURL(state: "s", codeChallenge: PKCE.generate().challenge, scopes: ["<script>x</script>"])
            let page = try await h.browse(url)
            #expect(page.status == 200)
            #expect(page.header("Content-Type")?.hasPrefix("text/html") == true)
            let html = String(decoding: page.body, as: UTF8.self)
            for login in ["octocat", "hubot", "pending-pat"] { #expect(html.contains("Sign in as \(login)")) }
            #expect(html.contains("Mona Octocat"))
            #expect(!html.contains("<script>") && html.contains("&lt;script&gt;"))
        }
    }

    @Test(arguments: ["plain-state", "a b+c/d?e=f&g%h~ü", "%2F%2F..\\ \"'<>", String(repeating: "z", count: 500)])
    func choosingAUserRedirectsWithCodeAndExactState(state: String) async throws {
        try await withSandbox { h in
            let url = h.client.authorizeURL(state: state, codeChallenge: PKCE.generate().challenge, scopes: ["read:org"])
            let redirect = try await h.pickUser(1, at: url)
            #expect(redirect.status == 302)
            let location = try #require(redirect.header("Location"))
            #expect(location.hasPrefix(callbackURL + "?code="))
            let query = try #require(h.callbackQuery(redirect))
            #expect(query["state"] == state)
            #expect(query["code"].map { !$0.isEmpty } == true)
        }
    }

    @Test func denyingRedirectsWithAccessDeniedAndState() async throws {
        try await withSandbox { h in
            let redirect = try await h.pickUser(1, at: h.client.authorizeURL(state: "st&te", codeChallenge: nil, scopes: []), decision: "deny")
            #expect(redirect.status == 302)
            let query = try #require(h.callbackQuery(redirect))
            #expect(query["error"] == "access_denied")
            #expect(query["state"] == "st&te")
            #expect(query["code"] == nil)
        }
    }

    @Test func answeredRequestCannotBeReplayed() async throws {
        try await withSandbox { h in
            let page = try await h.browse(h.client.authorizeURL(state: "s", codeChallenge: nil, scopes: []))
            let id = try #require(Harness.hiddenValue("authorization_request", in: String(decoding: page.body, as: UTF8.self)))
            let form = "authorization_request=\(id)&user_id=1&decision=approve"
            #expect(try await h.browse(h.sandbox.authURL! + "authorize", method: "POST", form: form).status == 302)
            #expect(try await h.browse(h.sandbox.authURL! + "authorize", method: "POST", form: form).status == 400)
        }
    }

    @Test func mismatchedRedirectURIShowsNotAssociatedPage() async throws {
        try await withSandbox { h in
            let drifted = try h.makeClient(redirectURI: callbackURL + "/extra")
            let page = try await h.browse(drifted.authorizeURL(state: "s", codeChallenge: nil, scopes: []))
            #expect(page.header("Location") == nil)
            #expect(String(decoding: page.body, as: UTF8.self).contains("The redirect_uri is not associated with this application"))

            h.sandbox.setRedirectMismatchRedirects(true)
            let redirect = try await h.browse(drifted.authorizeURL(state: "s2", codeChallenge: nil, scopes: []))
            #expect(redirect.status == 302)
            #expect(redirect.header("Location")?.hasPrefix(callbackURL + "?error=redirect_uri_mismatch") == true)
            #expect(h.callbackQuery(redirect)?["state"] == "s2")
        }
    }

    @Test func legacyPrefixModeAcceptsSubPathsButNotOtherHostsOrPaths() async throws {
        try await withSandbox(redirectMode: .legacyPrefix) { h in
            for (uri, accepted) in [
                (callbackURL, true), (callbackURL + "/deeper", true), ("http://127.0.0.1:4242/auth/github/callback", true),
                ("http://127.0.0.1:9/auth/other", false), ("http://127.0.0.1:9/", false), ("http://evil.example/auth/github/callback", false),
                ("https://127.0.0.1:9/auth/github/callback", false),
            ] {
                let page = try await h.browse(try h.makeClient(redirectURI: uri).authorizeURL(state: "s", codeChallenge: nil, scopes: []))
                let body = String(decoding: page.body, as: UTF8.self)
                #expect(body.contains("Sign in as octocat") == accepted, "\(uri)")
            }
        }
    }

    /// The examples from GitHub's docs for a legacy single callback (spec §1).
    @Test(arguments: [
        ("http://example.com/path", "http://example.com/path/subdir/other", true),
        ("http://example.com/path", "http://oauth.example.com/path", true),
        ("http://example.com/path", "http://example.com/path", true),
        ("http://example.com/path", "http://example.com/bar", false),
        ("http://example.com/path", "http://example.com/", false),
        ("http://example.com/path", "http://example.com:8080/path", false),
        ("http://example.com/path", "http://example.org", false),
        ("http://example.com/path", "http://example.com/pathology", false),
        ("http://example.com/path", "http://example.com/path/../admin", false),
        ("http://example.com/path", "http://example.com/path/%2e%2e/admin", false),
        ("http://example.com/path", "http://evil.com/?x=example.com/path", false),
        ("http://example.com/path", "http://example.com.evil.com/path", false),
        ("http://127.0.0.1/path", "http://127.0.0.1:1234/path", true),
        ("http://127.0.0.1/path", "http://127.0.0.1:1234/other", false),
    ])
    func legacyCallbackMatchingFollowsGitHubsExamples(callback: String, candidate: String, accepted: Bool) async throws {
        try await withSandbox { h in
            h.sandbox.registerApp(SandboxOAuthApp(clientID: "legacy-app", clientSecret: "legacy-secret", callbackURL: callback, redirectMode: .legacyPrefix))
            var components = URLComponents(string: h.sandbox.authURL! + "authorize")!
            components.queryItems = [URLQueryItem(name: "client_id", value: "legacy-app"), URLQueryItem(name: "redirect_uri", value: candidate)]
            components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "/", with: "%2F")
            let page = try await h.browse(components.string!)
            #expect(String(decoding: page.body, as: UTF8.self).contains("Sign in as octocat") == accepted)
        }
    }

    @Test func plainOrMalformedChallengeIsRejected() async throws {
        try await withSandbox { h in
            let base = h.sandbox.authURL! + "authorize?client_id=\(GitHubSandbox.demoClientID)&state=s&code_challenge="
            let valid = String(repeating: "a", count: 43)
            for query in ["abc&code_challenge_method=plain", valid + "&code_challenge_method=plain", valid,
                          "short&code_challenge_method=S256", valid + "&code_challenge_method=s256"] {
                let page = try await h.browse(base + query)
                #expect(page.status == 400, "\(query)")
                #expect(page.header("Location") == nil)
            }
            let accepted = try await h.browse(base + valid + "&code_challenge_method=S256")
            #expect(accepted.status == 200)
        }
    }

    @Test func unknownParametersAreIgnoredAndUnknownClientIs404() async throws {
        try await withSandbox { h in
            let url = h.client.authorizeURL(state: "s", codeChallenge: nil, scopes: []) + "&response_type=code&prompt=select_account&x=%00"
            let page = try await h.browse(url)
            let unknownClient = try await h.browse(h.sandbox.authURL! + "authorize?client_id=nope")
            #expect(page.status == 200)
            #expect(unknownClient.status == 404)
        }
    }

    @Test func signedInUserWithPriorGrantIsAutoApproved() async throws {
        try await withSandbox { h in
            _ = try await h.login(1, scopes: ["read:org"])
            h.sandbox.setSignedInUser("octocat")
            let redirect = try await h.browse(h.client.authorizeURL(state: "again", codeChallenge: PKCE.generate().challenge, scopes: ["read:org"]))
            #expect(redirect.status == 302)
            #expect(h.callbackQuery(redirect)?["state"] == "again")
            // Asking for more than was granted shows the page again.
            let page = try await h.browse(h.client.authorizeURL(state: "more", codeChallenge: nil, scopes: ["read:org", "repo"]))
            #expect(page.status == 200)
        }
    }

    @Test func githubComLayoutWorksToo() async throws {
        try await withSandbox(apiPrefix: "/api", webPrefix: "/web") { h in
            #expect(h.sandbox.authURL!.hasSuffix("/web/login/oauth/"))
            #expect(h.sandbox.apiURL!.hasSuffix("/api/"))
            let token = try await h.login(1)
            #expect(try await h.client.user(token: token.token).login == "octocat")
        }
    }
}

import Curl
import Foundation
import GitHub
import GitHubSandbox
import Testing

@Suite struct UserAndMembershipTests {
    @Test func userReturnsIdentityAndSendsRequiredHeaders() async throws {
        try await withSandbox { h in
            let token = try await h.login(1)
            let user = try await h.client.user(token: token.token)
            #expect(user == GitHubUser(id: 1, login: "octocat", name: "Mona Octocat", avatarURL: nil))
            let logged = try #require(h.sandbox.requests.last { $0.endpoint == .user })
            #expect(logged.userAgent == "newsroom-tests/1.0")
            #expect(logged.accept == "application/vnd.github+json")
            #expect(logged.apiVersion == "2022-11-28")
            #expect(logged.authorizationScheme == "Bearer")
            #expect(logged.path.hasPrefix("/api/v3/user"))
        }
    }

    @Test func renamedLoginKeepsTheSameID() async throws {
        try await withSandbox { h in
            let token = try await h.login(1)
            h.sandbox.renameUser(id: 1, to: "mona")
            let user = try await h.client.user(token: token.token)
            #expect(user.id == 1 && user.login == "mona")
            #expect(await h.client.orgMembership(org: "acme", token: token.token) == .active(role: "member"))
        }
    }

    @Test func orgMembershipFixtures() async throws {
        try await withSandbox { h in
            let octocat = try await h.login(1).token
            let hubot = try await h.login(2).token
            let pat = try await h.login(3).token
            #expect(await h.client.orgMembership(org: "acme", token: octocat) == .active(role: "member"))
            #expect(await h.client.orgMembership(org: "ACME", token: octocat) == .active(role: "member"))
            #expect(await h.client.orgMembership(org: "acme", token: pat) == .pending)
            #expect(await h.client.orgMembership(org: "acme", token: hubot) == .notMember)
            #expect(await h.client.orgMembership(org: "no-such-org", token: octocat) == .notMember)

            h.sandbox.setOrgMembership(org: "acme", login: "hubot", state: .active, role: "admin")
            #expect(await h.client.orgMembership(org: "acme", token: hubot) == .active(role: "admin"))
            h.sandbox.setOrgMembership(org: "acme", login: "octocat", state: nil)
            #expect(await h.client.orgMembership(org: "acme", token: octocat) == .notMember)

            h.sandbox.setOrgRestricted("acme", true)
            #expect(await h.client.orgMembership(org: "acme", token: hubot) == .restricted)
            h.sandbox.setOrgRestricted("acme", false)
            h.sandbox.setOrgSAMLRequired("acme", true)
            #expect(await h.client.orgMembership(org: "acme", token: hubot) == .samlRequired)
        }
    }

    @Test func teamMembershipFixtures() async throws {
        try await withSandbox { h in
            let octocat = try await h.login(1).token
            #expect(await h.client.teamMembership(org: "acme", teamSlug: "editors", login: "octocat", token: octocat) == .active(role: "maintainer"))
            #expect(await h.client.teamMembership(org: "acme", teamSlug: "editors", login: "hubot", token: octocat) == .notMember)
            #expect(await h.client.teamMembership(org: "acme", teamSlug: "no-team", login: "octocat", token: octocat) == .notMember)
            h.sandbox.setTeamMembership(org: "acme", team: "editors", login: "pending-pat", state: .pending)
            #expect(await h.client.teamMembership(org: "acme", teamSlug: "editors", login: "pending-pat", token: octocat) == .pending)
            h.sandbox.setTeamMembership(org: "acme", team: "editors", login: "hubot", state: .active)
            #expect(await h.client.teamMembership(org: "acme", teamSlug: "editors", login: "hubot", token: octocat) == .active(role: "member"))
            // A requester outside the org cannot see the team.
            let hubot = try await h.login(2).token
            #expect(await h.client.teamMembership(org: "acme", teamSlug: "editors", login: "hubot", token: hubot) == .notMember)
        }
    }

    @Test func onlyActiveAdmits() {
        let denied: [MembershipResult] = [.pending, .notMember, .restricted, .samlRequired, .forbidden, .badCredentials,
                                          .rateLimited(RateLimit(receivedAt: fixedNow)), .unavailable(reason: "x")]
        #expect(MembershipResult.active(role: "member").admits)
        #expect(denied.allSatisfy { !$0.admits })
    }

    @Test func hostilePathSegmentsStayInsideTheirSegment() async throws {
        try await withSandbox { h in
            let token = try await h.login(1).token
            let hostile = ["../user", "..", ".", "acme/teams/editors", "acme?x=1", "acme#x", "%61cme", " acme", ""]
            for org in hostile {
                #expect(await h.client.orgMembership(org: org, token: token) == .notMember, "\(org)")
            }
            // Each one reached the membership route with the whole hostile text as the org segment.
            let paths = h.sandbox.requests.filter { $0.path.hasPrefix("/api/v3/user/memberships/orgs/") }.map(\.path)
            #expect(paths.count == hostile.count)
            #expect(paths.contains("/api/v3/user/memberships/orgs/..%2Fuser"))
            #expect(paths.contains("/api/v3/user/memberships/orgs/%2E%2E"))
        }
    }

    @Test func revokedTokenIsBadCredentials() async throws {
        try await withSandbox { h in
            let token = try await h.login(1).token
            h.sandbox.revokeAllTokens(of: "octocat")
            await #expect(throws: GitHubError.badCredentials) { try await h.client.user(token: token) }
            #expect(await h.client.orgMembership(org: "acme", token: token) == .badCredentials)
            await #expect(throws: GitHubError.badCredentials) { try await h.client.user(token: "gho_made_up") }
        }
    }

    @Test(arguments: [
        (InjectedResponse.serverError(503), MembershipResult.unavailable(reason: "GitHub answered HTTP 503")),
        (.serverError(500), .unavailable(reason: "GitHub answered HTTP 500")),
        (.rateLimited(status: 429, retryAfter: 60), .rateLimited(RateLimit(retryAfter: 60, receivedAt: fixedNow))),
        (.rateLimited(status: 403, retryAfter: 7), .rateLimited(RateLimit(retryAfter: 7, receivedAt: fixedNow))),
        (.redirect(to: "https://api.github.com/orgs/acme/public_members/octocat"), .notMember),
        (InjectedResponse(status: 200, body: "not json"), .unavailable(reason: "unreadable membership body")),
        (InjectedResponse(status: 200, body: #"{"state":"invited"}"#), .unavailable(reason: "unknown membership state")),
        (InjectedResponse(status: 403, body: #"{"message":"Must have admin rights"}"#), .forbidden),
        (InjectedResponse(status: 410), .unavailable(reason: "unexpected HTTP 410")),
    ])
    func failuresDenyMembership(injected: InjectedResponse, expected: MembershipResult) async throws {
        try await withSandbox { h in
            let token = try await h.login(1).token
            h.sandbox.injectAPIResponses(injected)
            let result = await h.client.orgMembership(org: "acme", token: token)
            if case .rateLimited(let limit) = result, case .rateLimited(let want) = expected {
                #expect(limit.retryAfter == want.retryAfter)
                #expect(limit.until == want.until, "retry-after wins over the reset")
                #expect(limit.resetAt != nil)
            } else {
                #expect(result == expected)
            }
            #expect(!result.admits)
        }
    }

    @Test func timeoutIsUnavailable() async throws {
        try await withSandbox { h in
            let token = try await h.login(1).token
            let impatient = try h.makeClient(timeout: .milliseconds(200))
            h.sandbox.setLatency(.seconds(30))
            let result = await impatient.orgMembership(org: "acme", token: token)
            h.sandbox.setLatency(.zero)
            guard case .unavailable = result else { Issue.record("expected unavailable, got \(result)"); return }
        }
    }

    @Test func unreachableGitHubIsUnavailable() async throws {
        let curl = CurlClient(userAgent: "")
        defer { curl.shutdown() }
        // Port 9 (discard) on loopback: nothing listens there.
        let client = try GitHubClient.live(configuration: GitHubConfiguration(
            clientID: "id", clientSecret: "secret", authURL: "http://127.0.0.1:9/login/oauth/", apiURL: "http://127.0.0.1:9/",
            redirectURI: callbackURL, userAgent: "t/1"), curl: curl)
        guard case .unavailable = await client.orgMembership(org: "acme", token: "gho_x") else { Issue.record("expected unavailable"); return }
        await #expect { try await client.user(token: "gho_x") } throws: { error in
            guard let error = error as? GitHubError, case .transport = error else { return false }
            return true
        }
    }

    @Test func userFailuresAreTyped() async throws {
        try await withSandbox { h in
            let token = try await h.login(1).token
            h.sandbox.injectAPIResponses(.serverError(503))
            await #expect(throws: GitHubError.unexpectedStatus(503, endpoint: .user)) { try await h.client.user(token: token) }
            h.sandbox.injectAPIResponses(InjectedResponse(status: 200, body: #"{"login":"x"}"#))
            await #expect(throws: GitHubError.malformedResponse(endpoint: .user, detail: "expected a JSON object with id and login")) {
                try await h.client.user(token: token)
            }
            h.sandbox.injectAPIResponses(.rateLimited(status: 429, retryAfter: 5))
            await #expect { try await h.client.user(token: token) } throws: { error in
                guard let error = error as? GitHubError, case .rateLimited(let limit) = error else { return false }
                return limit.retryAfter == 5
            }
        }
    }
}

@Suite struct SandboxAPIBehaviourTests {
    @Test func missingUserAgentGetsPlainText403() async throws {
        try await withSandbox { h in
            let token = try await h.login(1).token
            let response = try await h.curl.send(CurlRequest(url: h.sandbox.apiURL! + "user", headers: [("Authorization", "Bearer \(token)")]))
            #expect(response.status == 403)
            #expect(response.header("Content-Type")?.hasPrefix("text/plain") == true)
            #expect(String(decoding: response.body, as: UTF8.self).hasPrefix("Request forbidden by administrative rules. Please make sure your request has a User-Agent header"))
        }
    }

    @Test func everyAPIResponseCarriesRateLimitAndScopeHeaders() async throws {
        try await withSandbox { h in
            let token = try await h.login(1).token
            let headers: [(name: String, value: String)] = [("User-Agent", "raw/1"), ("Authorization", "token \(token)")]
            let ok = try await h.curl.send(CurlRequest(url: h.sandbox.apiURL! + "user", headers: headers))
            let missing = try await h.curl.send(CurlRequest(url: h.sandbox.apiURL! + "user/memberships/orgs/nope", headers: headers))
            let unauthorized = try await h.curl.send(CurlRequest(url: h.sandbox.apiURL! + "user", headers: [("User-Agent", "raw/1")]))
            #expect(ok.status == 200 && missing.status == 404 && unauthorized.status == 401)
            for response in [ok, missing, unauthorized] {
                for name in ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-used", "x-ratelimit-reset", "x-ratelimit-resource"] {
                    #expect(response.header(name) != nil, "\(name)")
                }
            }
            #expect(ok.header("X-OAuth-Scopes") == "read:org")
            #expect(ok.header("x-ratelimit-reset") == String(Int(fixedNow.timeIntervalSince1970) + 3600))
            let body = try #require(try JSONSerialization.jsonObject(with: Data(unauthorized.body)) as? [String: Any])
            #expect(body["message"] as? String == "Requires authentication" && body["status"] as? String == "401")
        }
    }

    @Test func orgMemberEndpointRedirectsNonMembersToPublicMembers() async throws {
        try await withSandbox { h in
            let hubot = try await h.login(2).token
            let octocat = try await h.login(1).token
            let headers = { (token: String) -> [(name: String, value: String)] in [("User-Agent", "raw/1"), ("Authorization", "Bearer \(token)")] }
            let url = h.sandbox.apiURL! + "orgs/acme/members/octocat"
            let redirect = try await h.curl.send(CurlRequest(url: url, headers: headers(hubot), maxRedirects: 0))
            #expect(redirect.status == 302)
            #expect(redirect.header("Location")?.hasSuffix("/orgs/acme/public_members/octocat") == true)
            #expect(try await h.curl.send(CurlRequest(url: url, headers: headers(octocat))).status == 204)
            #expect(try await h.curl.send(CurlRequest(url: h.sandbox.apiURL! + "orgs/acme/members/hubot", headers: headers(octocat))).status == 404)
        }
    }
}

import Curl
import Foundation
import GitHub
import GitHubSandbox
import Testing

/// `limitRequests(_:)`: the sandbox answers the REST API as GitHub does while it rate-limits, until lifted.
@Suite struct SandboxRateLimitTests {
    func get(_ path: String, _ h: Harness, authorization: String?) async throws -> CurlResponse {
        var headers: [(name: String, value: String)] = [("User-Agent", "raw/1")]
        if let authorization { headers.append(("Authorization", authorization)) }
        return try await h.curl.send(CurlRequest(url: h.sandbox.apiURL! + path, headers: headers))
    }

    @Test func primaryLimitAnswers403WithNothingRemainingUntilTheReset() async throws {
        try await withSandbox { h async throws in
            let token = try await h.login(1).token
            let reset = fixedNow.addingTimeInterval(1200)
            h.sandbox.limitRequests(.primary(resetAt: reset))
            for path in ["user", "user/memberships/orgs/acme", "users/octocat"] {
                let response = try await get(path, h, authorization: "Bearer \(token)")
                #expect(response.status == 403, "\(path)")
                #expect(response.header("x-ratelimit-remaining") == "0")
                #expect(response.header("x-ratelimit-reset") == String(Int(reset.timeIntervalSince1970)))
                #expect(response.header("retry-after") == nil)
                #expect(String(decoding: response.body, as: UTF8.self).contains(#""message":"API rate limit exceeded."#))
            }
            #expect(await h.client.orgMembership(org: "acme", token: token) == .rateLimited(RateLimit(resetAt: reset, receivedAt: fixedNow)))
            // The User-Agent rule still comes first, and the web flow is not rate limited.
            let anonymous = try await h.curl.send(CurlRequest(url: h.sandbox.apiURL! + "user", headers: [("Authorization", "Bearer \(token)")]))
            #expect(anonymous.header("Content-Type")?.hasPrefix("text/plain") == true)
            #expect(try await h.login(2).token.hasPrefix("gho_"))

            h.sandbox.limitRequests(nil)
            #expect(try await get("user", h, authorization: "Bearer \(token)").status == 200)
        }
    }

    @Test(arguments: [403, 429])
    func secondaryLimitAnswersWithRetryAfter(status: Int) async throws {
        try await withSandbox { h async throws in
            let token = try await h.login(1).token
            h.sandbox.limitRequests(.secondary(status: status, retryAfter: 45))
            let response = try await get("user", h, authorization: "Bearer \(token)")
            #expect(response.status == status)
            #expect(response.header("retry-after") == "45")
            #expect(String(decoding: response.body, as: UTF8.self).contains("secondary rate limit"))
            await #expect(throws: GitHubError.rateLimited(RateLimit(retryAfter: 45, receivedAt: fixedNow))) { try await h.client.user(token: token) }
            #expect(h.client.rateLimitedUntil(now: fixedNow) == fixedNow.addingTimeInterval(45))
        }
    }
}

/// `GET /users/{login}`: the sandbox endpoint and `GitHubClient.accountID(login:)`.
@Suite struct UserLookupTests {
    @Test func loginsResolveToIdsCaseInsensitivelyAsTheApp() async throws {
        try await withSandbox { h async throws in
            #expect(try await h.client.accountID(login: "octocat") == 1)
            #expect(try await h.client.accountID(login: "HuBot") == 2)
            #expect(try await h.client.accountID(login: "nobody-here") == nil)
            #expect(try await h.client.accountID(login: "") == nil)
            // Hostile logins stay one path segment, and name nobody.
            for hostile in ["../user", "octocat/repos", "octocat?x=1", "%6Fctocat"] {
                #expect(try await h.client.accountID(login: hostile) == nil, "\(hostile)")
            }
            let lookups = h.sandbox.requests.filter { $0.endpoint == .userByLogin }
            #expect(lookups.count == 7)
            #expect(lookups.allSatisfy { $0.authorizationScheme == "Basic" }, "asked as the app, never with a user token")
            #expect(lookups.contains { $0.path == "/api/v3/users/..%2Fuser" })
        }
    }

    @Test func reassignedLoginNamesTheNewAccount() async throws {
        try await withSandbox { h async throws in
            h.sandbox.reassignLogin("hubot", renamingHolderTo: "hubot-old", toNewAccount: 99)
            #expect(try await h.client.accountID(login: "hubot") == 99)
            #expect(try await h.client.accountID(login: "hubot-old") == 2)
            h.sandbox.deleteUser(id: 99)
            #expect(try await h.client.accountID(login: "hubot") == nil)
        }
    }

    @Test func publicProfileIsOpenToAnyoneButBadCredentialsAreRefused() async throws {
        try await withSandbox { h async throws in
            let url = h.sandbox.apiURL! + "users/octocat"
            let anonymous = try await h.curl.send(CurlRequest(url: url, headers: [("User-Agent", "raw/1")]))
            #expect(anonymous.status == 200)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(anonymous.body)) as? [String: Any])
            #expect(body["id"] as? Int == 1 && body["login"] as? String == "octocat")
            let badToken = try await h.curl.send(CurlRequest(url: url, headers: [("User-Agent", "raw/1"), ("Authorization", "Bearer gho_made_up")]))
            #expect(badToken.status == 401)
            await #expect(throws: GitHubError.clientCredentialsRejected) {
                try await h.makeClient(clientSecret: "rotated-away").accountID(login: "octocat")
            }
            let missing = try await h.curl.send(CurlRequest(url: h.sandbox.apiURL! + "users/nobody-here", headers: [("User-Agent", "raw/1")]))
            #expect(missing.status == 404)
        }
    }
}

import Curl
import Foundation
import GitHub
import GitHubSandbox
import Testing

/// Which answers are GitHub's rate limits (spec §3), and when they say to come back; read over loopback from
/// the sandbox, whose ordinary answers carry `x-ratelimit-remaining` and `x-ratelimit-reset` like GitHub's.
@Suite struct RateLimitParsingTests {
    /// What one injected API answer became: a rate limit that lasts `wait` seconds from the client's clock, or
    /// the membership result the step saw instead.
    enum Reading: Equatable, CustomStringConvertible {
        case rateLimited(wait: TimeInterval)
        case membership(MembershipResult)

        var description: String {
            switch self {
            case .rateLimited(let wait): "rate limited for \(wait) s"
            case .membership(let result): "\(result)"
            }
        }
    }

    func reading(_ injected: InjectedResponse, _ h: Harness, token: String) async -> Reading {
        h.sandbox.injectAPIResponses(injected)
        let result = await h.client.orgMembership(org: "acme", token: token)
        if case .rateLimited(let limit) = result { return .rateLimited(wait: limit.until.timeIntervalSince(fixedNow)) }
        return .membership(result)
    }

    @Test func aPlainForbiddenIsNotARateLimit() async throws {
        try await withSandbox { h in
            let token = try await h.login(1).token
            let plain = InjectedResponse(status: 403, body: #"{"message":"Must have admin rights to Repository."}"#)
            #expect(await reading(plain, h, token: token) == .membership(.forbidden))
            h.sandbox.injectAPIResponses(plain)
            await #expect(throws: GitHubError.unexpectedStatus(403, endpoint: .user)) { try await h.client.user(token: token) }
            h.sandbox.setOrgRestricted("acme", true)
            #expect(await h.client.orgMembership(org: "acme", token: token) == .restricted)
            #expect(h.client.rateLimitedUntil(now: fixedNow) == nil, "no wait was asked for")
        }
    }

    @Test func primaryLimitWaitsForTheReset() async throws {
        try await withSandbox { h in
            let token = try await h.login(1).token
            let reset = Int(fixedNow.timeIntervalSince1970) + 900
            h.sandbox.injectAPIResponses(InjectedResponse(status: 403, headers: ["X-RateLimit-Remaining": "0", "X-RateLimit-Reset": String(reset)]))
            await #expect(throws: GitHubError.rateLimited(RateLimit(resetAt: Date(timeIntervalSince1970: TimeInterval(reset)), receivedAt: fixedNow))) {
                try await h.client.user(token: token)
            }
            #expect(h.client.rateLimitedUntil(now: fixedNow) == fixedNow.addingTimeInterval(900))
            #expect(h.client.rateLimitedUntil(now: fixedNow.addingTimeInterval(900)) == nil, "the hold ends at the reset")
        }
    }

    @Test func secondaryLimitWaitsRetryAfter() async throws {
        try await withSandbox { h in
            let token = try await h.login(1).token
            // The sandbox's usual headers say 4999 remaining: only retry-after makes this a limit.
            #expect(await reading(InjectedResponse(status: 403, headers: ["Retry-After": "30"]), h, token: token) == .rateLimited(wait: 30))
            #expect(await reading(InjectedResponse(status: 429, headers: ["Retry-After": "45"]), h, token: token) == .rateLimited(wait: 45))
            // A bare 429 is still "too many requests": GitHub's advice is to wait a minute.
            #expect(await reading(InjectedResponse(status: 429), h, token: token) == .rateLimited(wait: 60))
        }
    }

    static let reset3000 = "32503680000"  // the year 3000

    /// Garbage and absurd values never stretch a wait past an hour, never make a plain 403 a limit, and never crash.
    @Test(arguments: [
        (["Retry-After": "soon"], 403, Reading.membership(.forbidden)),
        (["Retry-After": "-5"], 403, .membership(.forbidden)),
        (["Retry-After": "1e3"], 403, .membership(.forbidden)),
        (["Retry-After": "nan"], 403, .membership(.forbidden)),
        (["Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"], 403, .membership(.forbidden)),
        (["X-RateLimit-Remaining": "-0"], 403, .membership(.forbidden)),
        (["X-RateLimit-Remaining": "nan", "X-RateLimit-Reset": "0"], 403, .membership(.forbidden)),
        (["Retry-After": "99999999999999999999999"], 429, .rateLimited(wait: 60)),
        (["Retry-After": "999999999"], 429, .rateLimited(wait: 3600)),
        (["Retry-After": "0"], 403, .rateLimited(wait: 0)),
        (["X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "nan"], 403, .rateLimited(wait: 60)),
        (["X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "inf"], 403, .rateLimited(wait: 60)),
        (["X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "0"], 403, .rateLimited(wait: 60)),
        (["X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset3000], 403, .rateLimited(wait: 3600)),
        (["X-RateLimit-Remaining": " 0 ", "X-RateLimit-Reset": " \(Int(fixedNow.timeIntervalSince1970) + 120) "], 403, .rateLimited(wait: 120)),
    ])
    func hostileHeadersAreReadSafely(headers: [String: String], status: Int, expected: Reading) async throws {
        try await withSandbox { h in
            let token = try await h.login(1).token
            #expect(await reading(InjectedResponse(status: status, headers: headers), h, token: token) == expected)
        }
    }

    @Test func anEarlierWaitNeverShortensALaterOne() async throws {
        try await withSandbox { h in
            let token = try await h.login(1).token
            #expect(await reading(InjectedResponse(status: 403, headers: ["Retry-After": "300"]), h, token: token) == .rateLimited(wait: 300))
            #expect(await reading(InjectedResponse(status: 429, headers: ["Retry-After": "10"]), h, token: token) == .rateLimited(wait: 10))
            #expect(h.client.rateLimitedUntil(now: fixedNow) == fixedNow.addingTimeInterval(300))
            #expect(h.client.rateLimitedUntil(now: fixedNow.addingTimeInterval(299)) != nil)
            #expect(h.client.rateLimitedUntil(now: fixedNow.addingTimeInterval(300)) == nil)
        }
    }

    @Test func everyStepReportsTheLimitTyped() async throws {
        try await withSandbox { h in
            let token = try await h.login(1).token
            let limit = RateLimit(retryAfter: 5, receivedAt: fixedNow)
            for step in ["user", "users", "revoke", "token"] {
                let injected = InjectedResponse(status: 429, headers: ["Retry-After": "5"])
                if step == "token" { h.sandbox.injectTokenResponses(injected) } else { h.sandbox.injectAPIResponses(injected) }
                await #expect(throws: GitHubError.rateLimited(limit), "\(step)") {
                    switch step {
                    case "user": _ = try await h.client.user(token: token)
                    case "users": _ = try await h.client.accountID(login: "octocat")
                    case "revoke": try await h.client.revokeToken(token: token)
                    default: _ = try await h.client.exchangeCode("code", codeVerifier: nil)
                    }
                }
            }
            #expect(try await h.client.user(token: token).id == 1, "the token was not revoked while limited")
            #expect(GitHubError.rateLimited(limit).description == "GitHub rate limit reached; retry after 2027-01-15T08:00:05Z")
        }
    }
}

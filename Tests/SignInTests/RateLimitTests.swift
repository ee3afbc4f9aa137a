import Foundation
import Testing
import AppTestSupport
import GitHubSandbox
import GitHub
import Storage
@testable import Newsroom

/// GitHub's rate limits: sign-in says when to come back; re-checks go quiet until then while the last good
/// check holds (for as long as it would if GitHub were down).
@Suite struct RateLimitTests {
    // The app's clock starts at 20:26:40 UTC.
    @Test(arguments: [
        (SandboxRateLimit.primary(resetAt: AppHarness.clockStart.addingTimeInterval(1800)), "20:57"),
        (.secondary(status: 429, retryAfter: 120), "20:29"),
        (.secondary(status: 403, retryAfter: 3), "20:27"),
    ])
    func signInWhileRateLimitedSaysWhenToComeBack(limit: SandboxRateLimit, time: String) async throws {
        try await AppHarness.run { h in
            h.sandbox.limitRequests(limit)
            let browser = h.browser()
            let page = try await h.signIn(browser, as: Demo.octocat)
            #expect(page.status == 403)
            #expect(page.body.contains("GitHub is limiting requests; try again at \(time) UTC."))
            #expect(page.setCookie(named: h.sessionCookie) == nil)
            #expect(browser.cookie(h.sessionCookie) == nil)
        }
    }

    @Test func rateLimitedTokenEndpointSaysWhenToComeBack() async throws {
        try await AppHarness.run { h in
            h.sandbox.injectTokenResponses(.rateLimited(status: 429, retryAfter: 300))
            let page = try await h.signIn(h.browser(), as: Demo.octocat)
            #expect(page.status == 403)
            #expect(page.body.contains("GitHub is limiting requests; try again at 20:32 UTC."))
        }
    }

    @Test func gateNamesTheRateLimitOverAnOutage() async throws {
        let rules = GateRules(org: "acme", teams: [.init(org: "acme", slug: "editors")])
        try await AppHarness.run(gate: rules) { h in
            let gate = Gate(rules: rules, github: try h.githubOnAppClock(), logger: h.logs.logger())
            let token = try #require(h.sandbox.grantToken(to: "octocat"))
            h.sandbox.injectAPIResponses(.serverError(503))                                          // the org check
            h.sandbox.injectAPIResponses(InjectedResponse(status: 403, headers: ["Retry-After": "90"]))  // the team check
            let decision = await gate.check(GitHubUser(id: Demo.octocat, login: "octocat"), token: token)
            #expect(decision == .denied(.rateLimited(until: h.clock.now.addingTimeInterval(90))))
        }
    }

    @Test func recheckDuringARateLimitAsksNothingAndHoldsUntilTheGraceEnds() async throws {
        try await AppHarness.run { h in
            let first = h.browser(), second = h.browser()
            try await h.signIn(first, as: Demo.octocat)
            try await h.signIn(second, as: Demo.octocat)
            h.sandbox.limitRequests(.primary(resetAt: h.clock.now.addingTimeInterval(3000)))  // 21:16:40

            h.clock.advance(by: 601)
            #expect(try await first.get("/me").status == 200, "rate limited: the last good check holds")
            let asked = h.sandbox.requests.count
            #expect(try await second.get("/me").status == 200)
            #expect(h.sandbox.requests.count == asked, "no session asks GitHub before the time it named")

            h.clock.advance(by: 600)  // two TTLs after the last good check: the grace is over
            let refused = try await first.get("/me")
            #expect(refused.status == 403)
            #expect(refused.body.contains("GitHub is limiting requests; try again at 21:17 UTC."))
            await #expect(try h.storedSession(of: first) == nil)
            #expect(h.sandbox.requests.count == asked)
        }
    }

    @Test func recheckAsksAgainOnceTheWaitIsOver() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            try await h.signIn(browser, as: Demo.octocat)
            h.sandbox.limitRequests(.secondary(retryAfter: 60))
            h.clock.advance(by: 601)
            #expect(try await browser.get("/me").status == 200)
            h.sandbox.limitRequests(nil)
            h.clock.advance(by: 601)
            let asked = h.sandbox.requests.count
            #expect(try await browser.get("/me").status == 200, "GitHub answered again: a fresh good check")
            #expect(h.sandbox.requests.count > asked)
            await #expect(try h.storedSession(of: browser)?.lastGoodCheckAt == h.clock.now)
        }
    }

    @Test func theSentenceRoundsUpToTheMinuteInUTCAndSurvivesTheCookie() throws {
        let exact = Date(timeIntervalSince1970: 1_780_000_000 - 40)  // 20:26:00Z
        #expect(DenialReason.rateLimited(until: exact).sentence == "GitHub is limiting requests; try again at 20:26 UTC.")
        #expect(DenialReason.rateLimited(until: exact.addingTimeInterval(1)).sentence.contains("at 20:27 UTC"))
        #expect(DenialReason.rateLimited(until: exact.addingTimeInterval(3 * 3600 + 59)).sentence.contains("at 23:27 UTC"))
        #expect(DenialReason.rateLimited(until: exact).code == "github-rate-limited")
        let reason = DenialReason.rateLimited(until: exact.addingTimeInterval(0.5))
        #expect(try JSONDecoder().decode(DenialReason.self, from: JSONEncoder().encode(reason)) == reason)
    }
}

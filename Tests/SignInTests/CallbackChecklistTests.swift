import Foundation
import Testing
import AppTestSupport
import GitHubSandbox
import Storage
@testable import Newsroom

/// Spec §7 items 1–7: state, browser binding, one use, expiry, callback errors, PKCE, token errors.
@Suite struct CallbackChecklistTests {
    /// A refused callback: sent on to the clean "link expired" page, no session, and GitHub's token endpoint never asked.
    func expectRefusedBeforeRedeeming(_ page: Page, _ h: AppHarness, tokenRequests: Int = 0,
                                      sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(page.status == 302 && page.location == "/login/expired", "\(page.status) \(page.location ?? "-")", sourceLocation: sourceLocation)
        #expect(page.setCookie(named: h.sessionCookie) == nil, sourceLocation: sourceLocation)
        #expect(page.header("Cache-Control") == "no-store", sourceLocation: sourceLocation)
        #expect(page.header("Referrer-Policy") == "no-referrer", sourceLocation: sourceLocation)
        #expect(h.sandbox.tokenRequestCount == tokenRequests, "a code was redeemed", sourceLocation: sourceLocation)
    }

    /// Spec §7 item 1: 1000 starts, 1000 distinct states.
    @Test func everyStartGetsItsOwnLongStateAndVerifier() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            var states = Set<String>()
            var challenges = Set<String>()
            for _ in 0..<1000 {
                let started = try await h.start(browser)
                #expect(started.state.wholeMatch(of: /[A-Za-z0-9_-]{22,}/) != nil)
                states.insert(started.state)
                challenges.insert(started.query["code_challenge"] ?? "")
            }
            #expect(states.count == 1000)
            #expect(challenges.count == 1000, "a PKCE verifier per attempt")
        }
    }

    @Test func tamperedStateIsRefusedWithoutRedeemingTheCode() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            let started = try await h.start(browser)
            let callback = try await h.authorize(started.authorizeURL, as: Demo.octocat, browser: browser)
            var query = FormEncoding.query(of: callback)
            let state = try #require(query["state"])
            query["state"] = String(state.dropLast()) + (state.hasSuffix("A") ? "B" : "A")
            expectRefusedBeforeRedeeming(try await browser.get(h.callbackURL([("code", query["code"]!), ("state", query["state"]!)])), h)
            expectRefusedBeforeRedeeming(try await browser.get(h.callbackURL([("code", query["code"]!)])), h)
            expectRefusedBeforeRedeeming(try await browser.get(h.callbackURL([("code", query["code"]!), ("state", "")])), h)
        }
    }

    @Test func replayedCallbackIsRefused() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            let started = try await h.start(browser)
            let callback = try await h.authorize(started.authorizeURL, as: Demo.octocat, browser: browser)
            #expect(try await browser.get(callback).status == 302)
            #expect(h.sandbox.tokenRequestCount == 1)
            // Same browser, even with the login cookie put back: the state was spent.
            browser.setCookie(h.loginCookie, CookieLine(started.page.setCookie(named: h.loginCookie))?.value)
            expectRefusedBeforeRedeeming(try await browser.get(callback), h, tokenRequests: 1)
        }
    }

    @Test func expiredStateIsRefused() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            let started = try await h.start(browser)
            let callback = try await h.authorize(started.authorizeURL, as: Demo.octocat, browser: browser)
            h.clock.advance(by: 11 * 60)
            expectRefusedBeforeRedeeming(try await browser.get(callback), h)
        }
    }

    @Test func stateFromAnotherBrowserIsRefused() async throws {
        try await AppHarness.run { h in
            let victim = h.browser()
            let attacker = h.browser()
            let started = try await h.start(attacker)
            let callback = try await h.authorize(started.authorizeURL, as: Demo.hubot, browser: attacker)
            // The victim has a login cookie of their own (from their own attempt), but not the one this state is bound to.
            _ = try await h.start(victim)
            expectRefusedBeforeRedeeming(try await victim.get(callback), h)
            // And a browser with no login cookie at all.
            let started2 = try await h.start(attacker)
            let callback2 = try await h.authorize(started2.authorizeURL, as: Demo.hubot, browser: attacker)
            expectRefusedBeforeRedeeming(try await h.browser().get(callback2), h)
            #expect(victim.cookie(h.sessionCookie) == nil)
        }
    }

    @Test func hostileLoginCookieIsReplacedNotEchoed() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            for hostile in [String(repeating: ",", count: 43), "\"" + String(repeating: "a", count: 41) + "\"", String(repeating: "é", count: 21) + "a", "short"] {
                browser.setCookie(h.loginCookie, hostile)
                let started = try await h.start(browser)
                let line = try #require(CookieLine(started.page.setCookie(named: h.loginCookie)))
                #expect(isOpaque256(line.value))
                #expect(line.value != hostile)
            }
            // A well-formed nonce from another tab is kept, so parallel sign-ins both work.
            let first = try await h.start(browser)
            let second = try await h.start(browser)
            #expect(CookieLine(first.page.setCookie(named: h.loginCookie))?.value == CookieLine(second.page.setCookie(named: h.loginCookie))?.value)
            let callback = try await h.authorize(first.authorizeURL, as: Demo.octocat, browser: browser)
            #expect(try await browser.get(callback).status == 302)
        }
    }

    /// The callback never renders in place: refused or failed, it redirects to a clean URL, so `code` and `state`
    /// stay in neither the address bar nor the history; the reason rides in a signed, short-lived cookie.
    @Test func refusedCallbacksRedirectToCleanPages() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            let denied = try await h.start(browser)
            let callback = try await h.authorize(denied.authorizeURL, as: Demo.hubot, browser: browser)
            let answer = try await browser.get(callback)
            #expect(answer.status == 302 && answer.location == "/login/denied")
            #expect(answer.body.isEmpty || !answer.body.contains("not among them"), "nothing is rendered at the callback URL")
            let refusal = try #require(CookieLine(answer.setCookie(named: "newsroom-refusal")))
            #expect(refusal.attributes.contains("httponly") && refusal.attributes.contains("max-age=60"))
            let page = try await browser.get("/login/denied")
            #expect(page.status == 403 && page.body.contains("not among them") && page.body.contains("hubot"))
            #expect(page.header("Referrer-Policy") == "no-referrer")
            #expect(!page.body.contains("<meta name=\"referrer\""), "the header alone sets the policy")

            // A forged or expired refusal explains nothing: home.
            let forger = h.browser()
            forger.setCookie("newsroom-refusal", refusal.value.replacingOccurrences(of: ".", with: ".A"))
            #expect(try await forger.get("/login/denied").location == "/")
            h.clock.advance(by: 61)
            #expect(try await browser.get("/login/denied").location == "/")

            // The state checks' own pages are plain, fixed pages.
            let expired = try await browser.get("/login/expired")
            #expect(expired.status == 400 && expired.body.contains("This sign-in link is no longer valid"))
            #expect(try await browser.get("/login/incomplete").body.contains("GitHub did not send a sign-in code"))
        }
    }

    @Test func userCancellingAtGitHubGetsAGenericPage() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            let started = try await h.start(browser)
            let callback = try await h.authorize(started.authorizeURL, as: nil, browser: browser)
            #expect(FormEncoding.query(of: callback)["error"] == "access_denied")
            let page = try await h.landing(after: browser.get(callback), browser: browser)
            #expect(page.status == 403)
            #expect(page.body.contains("You declined to authorize newsroom on GitHub."))
            #expect(!page.body.contains("The user has denied your application access"), "error_description is not shown")
            #expect(page.setCookie(named: h.sessionCookie) == nil)
            #expect(h.sandbox.tokenRequestCount == 0)
            // The attempt is spent even though it ended in an error.
            expectRefusedBeforeRedeeming(try await browser.get(h.callbackURL([("code", "abc"), ("state", started.state)])), h)
        }
    }

    @Test func scriptInErrorIsNeverReflected() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            let started = try await h.start(browser)
            let answer = try await browser.get(h.callbackURL([
                ("error", "<script>alert(1)</script>"), ("error_description", "<img src=x onerror=alert(2)>"),
                ("error_uri", "javascript:alert(3)"), ("state", started.state),
            ]))
            #expect(answer.location == "/login/denied", "nothing of the query travels on")
            let page = try await h.landing(after: answer, browser: browser)
            #expect(page.status == 403)
            #expect(page.body.contains("The sign-in did not complete: GitHub reported an error."))
            for payload in ["<script>alert(1)", "alert(1)", "<img src=x", "onerror", "javascript:alert(3)", "&lt;script"] {
                #expect(!page.body.contains(payload))
            }
            #expect(h.sandbox.tokenRequestCount == 0)
            #expect(!h.logs.allText.contains("<script>"), "the error is logged sanitised")
        }
    }

    @Test func codeIssuedForAnotherAttemptsChallengeFails() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            let first = try await h.start(browser)
            let firstCallback = try await h.authorize(first.authorizeURL, as: Demo.octocat, browser: browser)
            let second = try await h.start(browser)
            #expect(first.query["code_challenge"] != second.query["code_challenge"])
            let code = try #require(FormEncoding.query(of: firstCallback)["code"])
            // The state is genuine and bound to this browser, but the verifier stored with it does not match the code's challenge.
            let page = try await h.landing(after: browser.get(h.callbackURL([("code", code), ("state", second.state)])), browser: browser)
            #expect(page.status == 403)
            #expect(page.body.contains("bad_verification_code"))
            #expect(page.setCookie(named: h.sessionCookie) == nil)
            #expect(h.sandbox.tokenRequestCount == 1)
            #expect(h.sandbox.liveTokenCount(ofUserID: Demo.octocat) == 0)
        }
    }

    @Test func withoutPKCENoChallengeIsSentAndStateStillGuards() async throws {
        try await AppHarness.run(configure: { $0.github?.usePKCE = false }) { h in
            let browser = h.browser()
            let started = try await h.start(browser)
            #expect(started.query["code_challenge"] == nil)
            #expect(started.query["code_challenge_method"] == nil)
            #expect(started.state.count >= 22)
            let callback = try await h.authorize(started.authorizeURL, as: Demo.octocat, browser: browser)
            #expect(try await browser.get(callback).status == 302)
            #expect(try await browser.get("/me").status == 200)
            expectRefusedBeforeRedeeming(try await h.browser().get(callback), h, tokenRequests: 1)
        }
    }

    @Test(arguments: [
        ("bad_verification_code", "bad_verification_code"),
        ("incorrect_client_credentials", "incorrect_client_credentials"),
        ("redirect_uri_mismatch", "redirect_uri_mismatch"),
        ("<b>made-up</b>", "unrecognized_error"),
    ])
    func tokenEndpointErrorsDenyWithoutSecrets(error: String, shown: String) async throws {
        try await AppHarness.run { h in
            let body = #"{"error":"\#(error)","error_description":"secret \#(h.clientSecret)","error_uri":"/x"}"#
            h.sandbox.injectTokenResponses(InjectedResponse(status: 200, headers: ["Content-Type": "application/json"], body: body))
            let browser = h.browser()
            let page = try await h.signIn(browser, as: Demo.octocat)
            #expect(page.status == 403)
            #expect(page.body.contains("The sign-in did not complete"))
            #expect(page.body.contains(shown))
            #expect(!page.body.contains("<b>made-up"))
            #expect(page.setCookie(named: h.sessionCookie) == nil)
            #expect(browser.cookie(h.sessionCookie) == nil)
        }
    }

    @Test(arguments: [
        InjectedResponse.serverError(502),
        InjectedResponse.serverError(503),
        // A rate-limited token endpoint says when to come back: RateLimitTests.
    ])
    func tokenEndpointOutageSaysGitHubIsUnreachable(_ failure: InjectedResponse) async throws {
        try await AppHarness.run { h in
            h.sandbox.injectTokenResponses(failure)
            let page = try await h.signIn(h.browser(), as: Demo.octocat)
            #expect(page.status == 403)
            #expect(page.body.contains("GitHub could not be reached"))
            #expect(page.setCookie(named: h.sessionCookie) == nil)
        }
    }

    @Test func tokenResponsesThatAreNotTokensDeny() async throws {
        let bodies = [
            #"{"token_type":"bearer","scope":"read:org"}"#,
            #"{"access_token":"gho_abcdefghijklmnopqrstuvwxyz0123456789","token_type":"mac","scope":"read:org"}"#,
            "access_token=gho_abcdefghijklmnopqrstuvwxyz0123456789&token_type=bearer",
            "<html>not json</html>",
        ]
        try await AppHarness.run { h in
            for body in bodies {
                h.sandbox.injectTokenResponses(InjectedResponse(status: 200, body: body))
                let page = try await h.signIn(h.browser(), as: Demo.octocat)
                #expect(page.status == 403, "\(body)")
                #expect(page.body.contains("The sign-in did not complete"))
                #expect(page.setCookie(named: h.sessionCookie) == nil)
            }
        }
    }
}

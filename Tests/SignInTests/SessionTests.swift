import Foundation
import Testing
import AppTestSupport
import GitHubSandbox
import Storage
@testable import Newsroom

/// Spec §7 items 13–16 and the membership re-check: rotation, timeouts, logout, removal, revocation, outages.
@Suite struct SessionTests {
    /// A request with a dead session: sent to sign in again, cookie expired.
    func expectSentToSignIn(_ page: Page, _ h: AppHarness, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(page.status == 302, sourceLocation: sourceLocation)
        #expect(page.location == "/login?next=/me", sourceLocation: sourceLocation)
        let cleared = CookieLine(page.setCookie(named: h.sessionCookie))
        #expect(cleared?.value == "" && cleared?.attributes.contains("max-age=0") == true, "the dead cookie is expired", sourceLocation: sourceLocation)
    }

    @Test func signingInRotatesTheSessionAndTheOldIdStopsWorking() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            // An id planted before sign-in (session fixation) is never adopted.
            browser.setCookie(h.sessionCookie, "fixated-by-an-attacker-0123456789abcdefghijk")
            try await h.signIn(browser, as: Demo.octocat)
            let first = try #require(browser.cookie(h.sessionCookie))
            #expect(first != "fixated-by-an-attacker-0123456789abcdefghijk")
            #expect(isOpaque256(first))

            try await h.signIn(browser, as: Demo.octocat)
            let second = try #require(browser.cookie(h.sessionCookie))
            #expect(second != first)
            #expect(try await h.store.session(idHash: Opaque.hash(first)) == nil, "the pre-login session row is gone")
            #expect(try await browser.get("/me").status == 200)

            let stale = h.browser()
            stale.setCookie(h.sessionCookie, first)
            expectSentToSignIn(try await stale.get("/me"), h)
        }
    }

    @Test func aDeadSessionCookieDoesNotCancelTheNewOne() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            let started = try await h.start(browser)
            let callback = try await h.authorize(started.authorizeURL, as: Demo.octocat, browser: browser)
            // The old session died while the user was at GitHub (expired, or deleted elsewhere).
            browser.setCookie(h.sessionCookie, "GkfoOZ4S0kQ1kQ0QfGq3Yw1rj2Ih5cxm8rrEi2Vh8Jc")
            let done = try await browser.get(callback)
            #expect(done.status == 302)
            #expect(done.setCookies.filter { $0.hasPrefix(h.sessionCookie + "=") }.count == 1, "\(done.setCookies)")
            #expect(try await browser.get("/me").status == 200)
        }
    }

    @Test func idleSessionEndsAndItsRowIsDeleted() async throws {
        try await AppHarness.run(gate: GateRules(allowAnyUser: true)) { h in
            let browser = h.browser()
            try await h.signIn(browser, as: Demo.octocat)
            h.clock.advance(by: 23 * 3600)
            #expect(try await browser.get("/me").status == 200, "activity within the idle timeout keeps the session")
            h.clock.advance(by: 23 * 3600)
            #expect(try await browser.get("/me").status == 200)
            let id = try #require(browser.cookie(h.sessionCookie))
            h.clock.advance(by: 24 * 3600 + 1)
            expectSentToSignIn(try await browser.get("/me"), h)
            #expect(try await h.store.session(idHash: Opaque.hash(id)) == nil)
        }
    }

    @Test func absoluteTimeoutEndsEvenAnActiveSession() async throws {
        try await AppHarness.run(gate: GateRules(allowAnyUser: true)) { h in
            let browser = h.browser()
            try await h.signIn(browser, as: Demo.octocat)
            let id = try #require(browser.cookie(h.sessionCookie))
            for _ in 0..<7 {
                h.clock.advance(by: 23 * 3600)
                #expect(try await browser.get("/me").status == 200)
            }
            h.clock.advance(by: 7 * 3600)  // 7 × 23 h + 7 h = 168 h = 7 days
            expectSentToSignIn(try await browser.get("/me"), h)
            #expect(try await h.store.session(idHash: Opaque.hash(id)) == nil)
        }
    }

    @Test func logoutNeedsThePostAndItsCSRFToken() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            try await h.signIn(browser, as: Demo.octocat)
            let id = try #require(browser.cookie(h.sessionCookie))
            let csrf = try await #require(try h.storedSession(of: browser)?.csrfToken)

            let form = try await browser.get("/logout")
            #expect(form.status == 200)
            #expect(form.body.contains(#"<form method="post" action="/logout">"#))
            #expect(form.body.contains(#"<input type="hidden" name="csrf" value="\#(csrf)">"#))

            for wrong in [[], [("csrf", "")], [("csrf", String(csrf.dropLast()) + "x")], [("csrf", csrf + "x")], [("other", csrf)]] as [[(String, String)]] {
                let refused = try await browser.post("/logout", form: wrong)
                #expect(refused.status == 403)
                #expect(refused.body.contains("Sign-out refused"))
                #expect(refused.setCookie(named: h.sessionCookie) == nil)
            }
            // A JSON body carrying the right token is not the form either.
            let json = try await browser.send("POST", "/logout", headers: [("Content-Type", "application/json")], body: Array(#"{"csrf":"\#(csrf)"}"#.utf8))
            #expect(json.status == 403)
            #expect(try await browser.get("/me").status == 200, "refused sign-outs leave the session alone")

            let done = try await browser.post("/logout", form: [("csrf", csrf)])
            #expect(done.status == 302)
            #expect(done.location == "/")
            let expired = try #require(CookieLine(done.setCookie(named: h.sessionCookie)))
            #expect(expired.value.isEmpty)
            #expect(expired.attributes == ["max-age=0", "path=/", "httponly", "samesite=lax"])
            #expect(try await h.store.session(idHash: Opaque.hash(id)) == nil)
            #expect(try await browser.get("/").body.contains("Signed out"))
            #expect(h.sandbox.liveTokenCount(ofUserID: Demo.octocat) == 1, "no revocation unless asked for")

            let replay = h.browser()
            replay.setCookie(h.sessionCookie, id)
            expectSentToSignIn(try await replay.get("/me"), h)
            #expect(try await replay.post("/logout", form: [("csrf", csrf)]).location == "/")
        }
    }

    /// `--revoke-on-logout` (token): this sign-in's token dies at GitHub; the member's session in another browser
    /// keeps its own token and stays signed in.
    @Test func revokeOnLogoutRevokesThisSignInsTokenOnly() async throws {
        try await AppHarness.run(configure: { $0.revokeOnLogout = .token }) { h in
            let laptop = h.browser(), phone = h.browser()
            try await h.signIn(laptop, as: Demo.octocat)
            try await h.signIn(phone, as: Demo.octocat)
            #expect(h.sandbox.liveTokenCount(ofUserID: Demo.octocat) == 2)
            let csrf = try await #require(try h.storedSession(of: laptop)?.csrfToken)
            #expect(try await laptop.post("/logout", form: [("csrf", csrf)]).status == 302)
            #expect(h.sandbox.liveTokenCount(ofUserID: Demo.octocat) == 1)
            let revocation = try #require(h.sandbox.requests.last { $0.endpoint == .revokeToken })
            #expect(revocation.status == 204)
            #expect(revocation.authorizationScheme == "Basic")
            #expect(!h.sandbox.requests.contains { $0.endpoint == .revokeGrant })
            // The phone's token still works, so its next membership re-check admits it.
            h.clock.advance(by: 601)
            #expect(try await phone.get("/me").status == 200)
        }
    }

    /// `--revoke-on-logout=grant`: every token of the member for this app dies, so the other browser's session
    /// ends at its next membership re-check.
    @Test func revokeOnLogoutGrantEndsEveryTokenOfTheMember() async throws {
        try await AppHarness.run(configure: { $0.revokeOnLogout = .grant }) { h in
            let laptop = h.browser(), phone = h.browser()
            try await h.signIn(laptop, as: Demo.octocat)
            try await h.signIn(phone, as: Demo.octocat)
            let csrf = try await #require(try h.storedSession(of: laptop)?.csrfToken)
            #expect(try await laptop.post("/logout", form: [("csrf", csrf)]).status == 302)
            #expect(h.sandbox.liveTokenCount(ofUserID: Demo.octocat) == 0)
            let revocation = try #require(h.sandbox.requests.last { $0.endpoint == .revokeGrant })
            #expect(revocation.status == 204)
            h.clock.advance(by: 601)
            let ended = try await phone.get("/me")
            #expect(ended.status == 403 && ended.body.contains("revoked"), "\(ended.status)")
        }
    }

    @Test func memberRemovedMidSessionIsDeniedAtTheNextCheck() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            try await h.signIn(browser, as: Demo.octocat)
            let id = try #require(browser.cookie(h.sessionCookie))
            h.sandbox.setOrgMembership(org: "acme", login: "octocat", state: nil)
            h.clock.advance(by: 599)
            #expect(try await browser.get("/me").status == 200, "the last check holds until the TTL")
            h.clock.advance(by: 2)
            let denied = try await browser.get("/me")
            #expect(denied.status == 403)
            #expect(denied.body.contains("not among them"))
            #expect(CookieLine(denied.setCookie(named: h.sessionCookie))?.attributes.contains("max-age=0") == true)
            #expect(try await h.store.session(idHash: Opaque.hash(id)) == nil)
            #expect(try await browser.get("/me").status == 302)
        }
    }

    @Test(arguments: [GateRules(org: "acme"), GateRules(allowAnyUser: true), GateRules(users: ["octocat"])])
    func revokedTokenEndsTheSession(_ gate: GateRules) async throws {
        try await AppHarness.run(gate: gate) { h in
            let browser = h.browser()
            try await h.signIn(browser, as: Demo.octocat)
            let id = try #require(browser.cookie(h.sessionCookie))
            h.sandbox.revokeAllTokens(of: "octocat")
            h.clock.advance(by: 601)
            let denied = try await browser.get("/me")
            #expect(denied.status == 403)
            #expect(denied.body.contains("Your GitHub authorization for newsroom was revoked or has expired."))
            #expect(try await h.store.session(idHash: Opaque.hash(id)) == nil)
        }
    }

    @Test func githubDownKeepsTheMemberForOneMoreTTLThenRefuses() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            try await h.signIn(browser, as: Demo.octocat)
            let id = try #require(browser.cookie(h.sessionCookie))
            h.sandbox.injectAPIResponses(.serverError(503), count: 2)
            h.clock.advance(by: 601)
            #expect(try await browser.get("/me").status == 200, "within one more TTL the last good check holds")
            h.clock.advance(by: 598)
            #expect(try await browser.get("/me").status == 200)
            h.clock.advance(by: 3)
            let refused = try await browser.get("/me")
            #expect(refused.status == 403)
            #expect(refused.body.contains("GitHub could not be reached to check your membership."))
            #expect(try await h.store.session(idHash: Opaque.hash(id)) == nil)
        }
    }

    @Test func githubBackAfterAnOutageRenewsTheCheck() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            try await h.signIn(browser, as: Demo.octocat)
            h.sandbox.injectAPIResponses(.rateLimited(status: 403), count: 1)
            h.clock.advance(by: 601)
            #expect(try await browser.get("/me").status == 200)
            h.clock.advance(by: 601)
            #expect(try await browser.get("/me").status == 200, "GitHub answered again: a fresh good check")
            h.clock.advance(by: 601)
            #expect(try await browser.get("/me").status == 200)
            await #expect(try h.storedSession(of: browser)?.lastGoodCheckAt == h.clock.now)
        }
    }
}

/// A database that fails while a session is read is not a sign-out.
@Suite struct UnreadableSessionTests {
    @Test func aSessionThatCannotBeReadIsA503AndSurvivesTheOutage() async throws {
        try await AppHarness.run { h in
            let browser = try await h.signedIn(as: "octocat")
            let cookie = try #require(browser.cookie(h.sessionCookie))
            h.clock.advance(by: 10)  // past the in-memory copy of the session row: the next request reads the database
            _ = try await h.sqlite("ALTER TABLE sessions RENAME TO sessions_away")

            let page = try await browser.get("/news/demo")
            #expect(page.status == 503)
            #expect(page.header("Retry-After") == "5")
            #expect(page.header("Cache-Control") == "no-store")
            #expect(page.body.contains("Try again in a moment"))
            #expect(page.setCookie(named: h.sessionCookie) == nil, "the cookie is neither cleared nor replaced")
            #expect(browser.cookie(h.sessionCookie) == cookie)

            _ = try await h.sqlite("ALTER TABLE sessions_away RENAME TO sessions")
            #expect(try await h.store.session(idHash: Opaque.hash(cookie)) != nil, "the row was kept")
            let me = try await browser.get("/me")
            #expect(me.status == 200, "signed in again as soon as the database answers")
            #expect(me.body.contains("octocat"))
        }
    }
}

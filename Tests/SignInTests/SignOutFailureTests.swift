import Foundation
import Testing
@testable import AppTestSupport
import GitHubSandbox
import Storage
@testable import Newsroom

/// A session that has ended stays ended when the database refuses to delete its row: it is refused in memory at
/// once, the delete is retried until it succeeds, and sign-out says honestly when it could not finish.
@Suite struct SignOutFailureTests {
    /// Makes every delete of a session row fail (inserts and reads still work), as a broken or full disk might.
    static let keepSessions = "CREATE TRIGGER sessions_kept BEFORE DELETE ON sessions BEGIN SELECT RAISE(ABORT, 'sessions are kept'); END;"
    static let letSessionsGo = "DROP TRIGGER sessions_kept;"
    /// What the background retry logs once it has deleted the rows that were left.
    static let retryDone = "completed 1 pending session delete(s)"

    func expectSentToSignIn(_ page: Page, from path: String, _ h: AppHarness, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(page.status == 302, sourceLocation: sourceLocation)
        #expect(page.location == "/login?next=" + path, sourceLocation: sourceLocation)
        let cleared = CookieLine(page.setCookie(named: h.sessionCookie))
        #expect(cleared?.value == "" && cleared?.attributes.contains("max-age=0") == true, "the dead cookie is expired", sourceLocation: sourceLocation)
    }

    func browser(_ h: AppHarness, holding cookie: String) -> Browser {
        let browser = h.browser()
        browser.setCookie(h.sessionCookie, cookie)
        return browser
    }

    @Test(.timeLimit(.minutes(2)))
    func signOutWhileTheDatabaseIsLockedIsA503AndTheCookieIsDeadAtOnce() async throws {
        try await AppHarness.run { h in
            let browser = try await h.signedIn(as: "octocat")
            let cookie = try #require(browser.cookie(h.sessionCookie))
            let csrf = try await #require(try h.storedSession(of: browser)?.csrfToken)
            #expect(try await browser.get("/news/demo").status == 200)
            // A copy of the cookie (another tab, or a thief): each use gets a fresh one, since a refusal expires it.
            let copy = { self.browser(h, holding: cookie) }

            try await h.whileAnotherProcessHoldsTheWriteLock {
                let page = try await browser.post("/logout", form: [("csrf", csrf)])
                #expect(page.status == 503)
                #expect(page.header("Retry-After") == "5")
                #expect(page.body.contains("Sign-out not finished"))
                #expect(page.body.contains("This browser is signed out on this server"))
                #expect(!page.body.contains("octocat"), "the page is drawn for a signed-out visitor")
                let expired = try #require(CookieLine(page.setCookie(named: h.sessionCookie)))
                #expect(expired.value.isEmpty && expired.attributes.contains("max-age=0"))
                #expect(!h.logs.lines.contains { $0.text.hasPrefix("signed out") }, "not logged as done")
                #expect(h.logs.lines.contains { $0.level == .warning && $0.text.hasPrefix("sign-out not finished") })

                expectSentToSignIn(try await copy().get("/news/demo"), from: "/news/demo", h)
                #expect(try await h.store.session(idHash: Opaque.hash(cookie)) != nil, "the row is still there while the lock is held")
            }
            expectSentToSignIn(try await copy().get("/news/demo"), from: "/news/demo", h)
            try await h.logs.waitForLine(startingWith: Self.retryDone, timeout: .seconds(60))
            #expect(try await h.store.session(idHash: Opaque.hash(cookie)) == nil, "the retry deleted the row once the lock was gone")
            expectSentToSignIn(try await copy().get("/news/demo"), from: "/news/demo", h)
            // Retrying the sign-out from the browser (its cookie is gone) just goes home.
            #expect(try await browser.post("/logout", form: [("csrf", csrf)]).location == "/")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func anIdleSessionWhoseDeleteFailsIsRefusedAndDeletedLater() async throws {
        try await AppHarness.run { h in
            let browser = try await h.signedIn(as: "octocat")
            let cookie = try #require(browser.cookie(h.sessionCookie))
            h.clock.advance(by: 24 * 3600 + 1)
            try await h.whileAnotherProcessHoldsTheWriteLock {
                expectSentToSignIn(try await browser.get("/me"), from: "/me", h)
                expectSentToSignIn(try await self.browser(h, holding: cookie).get("/me"), from: "/me", h)
                #expect(try await h.store.session(idHash: Opaque.hash(cookie)) != nil)
            }
            // Deleted by the retry within seconds, not left for the next housekeeping round.
            try await h.logs.waitForLine(startingWith: Self.retryDone, timeout: .seconds(60))
            #expect(try await h.store.session(idHash: Opaque.hash(cookie)) == nil)
            expectSentToSignIn(try await self.browser(h, holding: cookie).get("/me"), from: "/me", h)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func rotationAtSignInWhoseDeleteFailsStillEndsTheOldSession() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            try await h.signIn(browser, as: Demo.octocat)
            let first = try #require(browser.cookie(h.sessionCookie))
            _ = try await h.sqlite(Self.keepSessions)

            try await h.signIn(browser, as: Demo.octocat)
            let second = try #require(browser.cookie(h.sessionCookie))
            #expect(second != first)
            #expect(try await browser.get("/me").status == 200, "sign-in went on")
            #expect(try await h.store.session(idHash: Opaque.hash(first)) != nil, "the old row could not be deleted")
            #expect(h.logs.lines.contains { $0.level == .warning && $0.text.hasPrefix("could not delete a session ended by sign-in rotation") })
            expectSentToSignIn(try await self.browser(h, holding: first).get("/me"), from: "/me", h)

            _ = try await h.sqlite(Self.letSessionsGo)
            try await h.logs.waitForLine(startingWith: Self.retryDone, timeout: .seconds(60))
            #expect(try await h.store.session(idHash: Opaque.hash(first)) == nil)
            expectSentToSignIn(try await self.browser(h, holding: first).get("/me"), from: "/me", h)
            #expect(try await browser.get("/me").status == 200)
        }
    }

    /// A member refused by the re-check stays out even if GitHub would admit them again before the row is gone:
    /// they sign in again, as after any refusal.
    @Test(.timeLimit(.minutes(2)))
    func aSessionRefusedByTheRecheckStaysEndedWhenItsDeleteFails() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            try await h.signIn(browser, as: Demo.octocat)
            let cookie = try #require(browser.cookie(h.sessionCookie))
            _ = try await h.sqlite(Self.keepSessions)
            h.sandbox.setOrgMembership(org: "acme", login: "octocat", state: nil)
            h.clock.advance(by: 601)
            #expect(try await browser.get("/me").status == 403)
            h.sandbox.setOrgMembership(org: "acme", login: "octocat", state: .active)
            expectSentToSignIn(try await self.browser(h, holding: cookie).get("/me"), from: "/me", h)
            _ = try await h.sqlite(Self.letSessionsGo)
            try await h.logs.waitForLine(startingWith: Self.retryDone, timeout: .seconds(60))
            #expect(try await h.store.session(idHash: Opaque.hash(cookie)) == nil)
        }
    }

    @Test func signOutDropsTheMembersCachedPagesAndOnlyTheirs() async throws {
        try await AppHarness.run { h in
            let leaving = try await h.signedIn(as: "octocat")
            let staying = try await h.signedIn(as: "octocat")
            #expect(try await leaving.get("/news/demo").status == 200)
            #expect(try await staying.get("/news/demo").status == 200)
            let pages = try #require(h.sessions.pages)
            let viewer = { (browser: Browser) in Opaque.hash(browser.cookie(h.sessionCookie) ?? "") }
            let (leavingViewer, stayingViewer) = (viewer(leaving), viewer(staying))
            #expect(pages.page(publication: "demo", viewer: leavingViewer, now: h.clock.now) != nil)

            let csrf = try await #require(try h.storedSession(of: leaving)?.csrfToken)
            #expect(try await leaving.post("/logout", form: [("csrf", csrf)]).status == 302)
            #expect(pages.page(publication: "demo", viewer: leavingViewer, now: h.clock.now) == nil)
            #expect(pages.page(publication: "demo", viewer: stayingViewer, now: h.clock.now) != nil)
        }
    }
}

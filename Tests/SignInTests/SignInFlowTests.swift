import Foundation
import Testing
import AppTestSupport
import GitHubSandbox
import Storage
@testable import Newsroom

/// The whole redirect chain, as a browser walks it, with every response checked as a whole.
@Suite struct SignInFlowTests {
    /// Over real sockets, the one place the whole chain runs as it does in production.
    /// Also on PostgreSQL: the flow is the same whichever engine holds the sessions.
    @Test(arguments: StorageEngine.available) func memberWalksTheWholeRedirectChainAndLandsOnNext(engine: StorageEngine) async throws {
        try await AppHarness.run(mode: .live, engine: engine) { h in
            let browser = h.browser()
            let started = try await h.start(browser, next: "/news/demo?x=1")

            // /login → GitHub's authorize page, with everything the spec asks for.
            #expect(started.page.status == 302)
            #expect(started.authorizeURL.hasPrefix(h.sandbox.authURL! + "authorize?"))
            #expect(started.query["client_id"] == GitHubSandbox.demoClientID)
            #expect(started.query["redirect_uri"] == "http://newsroom.test/login/github/authorized")
            #expect(started.query["scope"] == "read:org")
            #expect(started.state.wholeMatch(of: /[A-Za-z0-9_-]{22,}/) != nil)
            #expect(started.query["code_challenge"]?.wholeMatch(of: /[A-Za-z0-9_-]{43}/) != nil)
            #expect(started.query["code_challenge_method"] == "S256")
            #expect(started.query["allow_signup"] == "true")
            #expect(started.page.header("Cache-Control") == "no-store")
            #expect(started.page.header("Referrer-Policy") == "no-referrer")
            let loginCookie = try #require(CookieLine(started.page.setCookie(named: "newsroom-login")))
            #expect(isOpaque256(loginCookie.value))
            #expect(loginCookie.attributes == ["max-age=600", "path=/", "httponly", "samesite=lax"])
            #expect(started.page.setCookie(named: "newsroom-session") == nil)
            // The state is stored hashed with the attempt, never in the clear.
            #expect(try await h.store.takeLoginAttempt(stateHash: started.state) == nil)

            let callback = try await h.authorize(started.authorizeURL, as: Demo.octocat, browser: browser)
            #expect(callback.hasPrefix(h.config.callbackURL + "?code="))
            #expect(FormEncoding.query(of: callback)["state"] == started.state)

            let done = try await browser.get(callback)
            #expect(done.status == 302)
            #expect(done.location == "/news/demo?x=1")
            #expect(done.header("Cache-Control") == "no-store")
            #expect(done.header("Referrer-Policy") == "no-referrer")
            #expect(done.body.isEmpty)
            let session = try #require(CookieLine(done.setCookie(named: "newsroom-session")))
            #expect(isOpaque256(session.value))
            #expect(session.attributes == ["max-age=604800", "path=/", "httponly", "samesite=lax"])
            #expect(!session.hasDomain)
            let clearedLogin = try #require(CookieLine(done.setCookie(named: "newsroom-login")))
            #expect(clearedLogin.value.isEmpty)
            #expect(clearedLogin.attributes.contains("max-age=0"))
            #expect(browser.cookieNames == ["newsroom-session"])
            #expect(h.sandbox.tokenRequestCount == 1)

            let me = try await browser.get("/me")
            #expect(me.status == 200)
            #expect(me.body.contains("@octocat on GitHub"))
            #expect(me.body.contains("member of acme"))
            let stored = try await #require(try h.storedSession(of: browser))
            #expect(stored.githubID == 1)
            #expect(!String(decoding: stored.encryptedToken, as: UTF8.self).contains("gho_"), "the token is stored sealed")
            #expect(stored.idHash != session.value, "only the hash of the id is stored")
        }
    }

    /// Also on PostgreSQL: the flow is the same whichever engine holds the sessions.
    @Test(arguments: StorageEngine.available) func withoutNextTheMemberLandsOnHome(engine: StorageEngine) async throws {
        try await AppHarness.run(engine: engine) { h in
            let browser = h.browser()
            let done = try await h.signIn(browser)
            #expect(done.status == 302)
            #expect(done.location == "/")
            let home = try await browser.get("/")
            #expect(home.status == 200)
            #expect(home.body.contains("Signed in as octocat"))
        }
    }

    /// Also on PostgreSQL: the flow is the same whichever engine holds the sessions.
    @Test(arguments: StorageEngine.available) func anonymousVisitOfAMembersPageComesBackAfterSignIn(engine: StorageEngine) async throws {
        try await AppHarness.run(engine: engine) { h in
            let browser = h.browser()
            let page = try await browser.get("/me")
            #expect(page.status == 302)
            #expect(page.location == "/login?next=/me")
            let started = try await h.start(browser, next: "/me")
            let callback = try await h.authorize(started.authorizeURL, as: Demo.octocat, browser: browser)
            let done = try await browser.get(callback)
            #expect(done.location == "/me")
        }
    }

    @Test func httpsDeploymentUsesHostPrefixedSecureCookies() async throws {
        try await AppHarness.run(mode: .router(publicURL: "https://news.example.org")) { h in
            let browser = h.browser()
            let started = try await h.start(browser, next: "/me")
            #expect(started.query["redirect_uri"] == "https://news.example.org/login/github/authorized")
            let loginCookie = try #require(CookieLine(started.page.setCookie(named: "__Host-newsroom-login")))
            #expect(loginCookie.attributes == ["max-age=600", "path=/", "secure", "httponly", "samesite=lax"])
            #expect(started.page.header("Strict-Transport-Security") == "max-age=31536000; includeSubDomains")

            let callback = try await h.authorize(started.authorizeURL, as: Demo.octocat, browser: browser)
            #expect(callback.hasPrefix("https://news.example.org/login/github/authorized?code="))
            let done = try await browser.get(callback)
            #expect(done.status == 302)
            #expect(done.location == "/me")
            let session = try #require(CookieLine(done.setCookie(named: "__Host-newsroom-session")))
            #expect(session.attributes == ["max-age=604800", "path=/", "secure", "httponly", "samesite=lax"])
            #expect(!session.hasDomain)
            #expect(done.setCookie(named: "newsroom-session") == nil)
            let cleared = try #require(CookieLine(done.setCookie(named: "__Host-newsroom-login")))
            #expect(cleared.attributes.contains("max-age=0") && cleared.attributes.contains("secure"))

            let me = try await browser.get("/me")
            #expect(me.status == 200)
            #expect(me.body.contains("@octocat on GitHub"))
        }
    }

    @Test func redirectURIComesFromConfigurationNotFromHostHeaders() async throws {
        try await AppHarness.run { h in
            let page = try await h.browser().get("/login", headers: [("X-Forwarded-Host", "evil.example"), ("X-Forwarded-Proto", "https"),
                                                                     ("Forwarded", "host=evil.example;proto=https")])
            let query = FormEncoding.query(of: try #require(page.location))
            #expect(query["redirect_uri"] == h.config.callbackURL)
            #expect(page.location?.hasPrefix(h.sandbox.authURL!) == true)
        }
    }
}

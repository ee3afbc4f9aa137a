import Foundation
import Testing
import AppTestSupport
import GitHubSandbox
import Storage
import GitHub
@testable import Newsroom

/// Who gets in: org, team, user allowlist, anyone; and what the denied page says when someone does not.
@Suite struct GateTests {
    /// A refused sign-in's page: 403, no session cookie (that the callback spent the login cookie on its way here is
    /// checked by `landing(after:)`).
    func expectDenied(_ page: Page, saying sentence: String, _ h: AppHarness, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(page.status == 403, sourceLocation: sourceLocation)
        #expect(page.body.contains(sentence), "denied page lacks “\(sentence)”", sourceLocation: sourceLocation)
        #expect(page.body.contains("Try again"), sourceLocation: sourceLocation)
        #expect(page.setCookie(named: h.sessionCookie) == nil, sourceLocation: sourceLocation)
        #expect(page.header("Cache-Control") == "no-store", sourceLocation: sourceLocation)
    }

    @Test func nonMemberIsDeniedWithTheReason() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            let page = try await h.signIn(browser, as: Demo.hubot)
            expectDenied(page, saying: "This newsroom is for members of acme, and your GitHub account is not among them.", h)
            #expect(page.body.contains("<strong>hubot</strong>"))
            #expect(try await h.store.user(githubID: Demo.hubot) == nil)
            #expect(try await browser.get("/me").status == 302)
        }
    }

    @Test func pendingMemberIsDeniedAsPending() async throws {
        try await AppHarness.run { h in
            let page = try await h.signIn(h.browser(), as: Demo.pendingPat)
            expectDenied(page, saying: "Your membership of acme is still pending", h)
        }
    }

    @Test func teamRuleAdmitsTeamMembersOnly() async throws {
        let editors = GateRules(teams: [.init(org: "ACME", slug: "editors")])
        try await AppHarness.run(gate: editors) { h in
            let member = h.browser()
            let done = try await h.signIn(member, as: Demo.octocat)
            #expect(done.status == 302)
            let me = try await member.get("/me")
            #expect(me.status == 200)
            #expect(me.body.contains("member of ACME/editors"))
            expectDenied(try await h.signIn(h.browser(), as: Demo.hubot), saying: "members of ACME/editors", h)
            #expect(FormEncoding.query(of: try await h.start(h.browser()).authorizeURL)["scope"] == "read:org")
        }
    }

    @Test func userAllowlistComparesLoginsCaseInsensitively() async throws {
        try await AppHarness.run(gate: GateRules(users: ["HuBoT"])) { h in
            let started = try await h.start(h.browser())
            #expect(started.query["scope"] == "", "no scope is needed without an org or team rule")
            let browser = h.browser()
            #expect(try await h.signIn(browser, as: Demo.hubot).status == 302)
            #expect(try await browser.get("/me").body.contains("listed user hubot"))
            expectDenied(try await h.signIn(h.browser(), as: Demo.octocat), saying: "not among them", h)
        }
    }

    @Test func allowAnyAdmitsANonMember() async throws {
        try await AppHarness.run(gate: GateRules(allowAnyUser: true)) { h in
            let browser = h.browser()
            let done = try await h.signIn(browser, as: Demo.hubot)
            #expect(done.status == 302)
            #expect(done.location == "/")
            #expect(try await browser.get("/me").body.contains("any GitHub user"))
        }
    }

    @Test func restrictedOrgIsDeniedWithTheApprovalLink() async throws {
        try await AppHarness.run { h in
            h.sandbox.setOrgRestricted("acme", true)
            let page = try await h.signIn(h.browser(), as: Demo.octocat)
            expectDenied(page, saying: "The acme organization restricts third-party apps", h)
            #expect(page.body.contains("Ask an owner of acme to approve this app."))
            // The link GitHub documents (spec §4.6); the page itself links only https, so over the http sandbox it shows as text.
            let gate = await Gate(rules: h.config.gate, github: try h.githubClient())
            #expect(gate.approvalURL == h.sandbox.origin! + "/settings/connections/applications/" + GitHubSandbox.demoClientID)
            #expect(page.body.contains("Request approval for this app on GitHub"))
        }
    }

    @Test func samlOrgIsDenied() async throws {
        try await AppHarness.run { h in
            h.sandbox.setOrgSAMLRequired("acme", true)
            let page = try await h.signIn(h.browser(), as: Demo.octocat)
            expectDenied(page, saying: "The acme organization requires SAML single sign-on", h)
        }
    }

    @Test func fewerScopesGrantedIsDeniedWithAClearReason() async throws {
        try await AppHarness.run { h in
            h.sandbox.setGrantedScopes([])
            let page = try await h.signIn(h.browser(), as: Demo.octocat)
            expectDenied(page, saying: "newsroom needs the read:org permission to check your membership, and it was not granted.", h)
        }
    }

    @Test func renamedLoginKeepsTheAccountAndAReusedLoginIsSomeoneElse() async throws {
        try await AppHarness.run { h in
            let first = h.browser()
            try await h.signIn(first, as: Demo.octocat)
            h.sandbox.renameUser(id: Demo.octocat, to: "mona")
            let renamed = h.browser()
            #expect(try await h.signIn(renamed, as: Demo.octocat).status == 302)
            let me = try await renamed.get("/me")
            #expect(me.body.contains("@mona on GitHub"))
            #expect(me.body.contains("<dd>1</dd>"))
            #expect(try await h.store.user(githubID: Demo.octocat)?.login == "mona")

            // Someone else registers the freed login; they are a different account.
            h.sandbox.addUser(SandboxUser(id: 42, login: "octocat", name: "New Octocat"))
            h.sandbox.setOrgMembership(org: "acme", login: "octocat", state: .active)
            let newcomer = h.browser()
            #expect(try await h.signIn(newcomer, as: 42).status == 302)
            let theirs = try await newcomer.get("/me")
            #expect(theirs.body.contains("@octocat on GitHub"))
            #expect(theirs.body.contains("<dd>42</dd>"))
            #expect(try await h.store.user(githubID: 42)?.login == "octocat")
            #expect(try await h.store.user(githubID: Demo.octocat)?.login == "mona")
            await #expect(try h.storedSession(of: newcomer)?.githubID == 42)
            await #expect(try h.storedSession(of: first)?.githubID == Demo.octocat)
        }
    }

    @Test func teamMemberWhoIsRenamedMidSessionStaysAdmitted() async throws {
        try await AppHarness.run(gate: GateRules(teams: [.init(org: "acme", slug: "editors")])) { h in
            let browser = h.browser()
            try await h.signIn(browser, as: Demo.octocat)
            h.sandbox.renameUser(id: Demo.octocat, to: "mona")
            h.clock.advance(by: 601)
            let me = try await browser.get("/me")
            #expect(me.status == 200, "the team check must use the login the account has now")
            #expect(me.body.contains("@mona on GitHub"))
            #expect(try await h.store.user(githubID: Demo.octocat)?.login == "mona")
        }
    }

    /// GitHub App user tokens report `scope: ""`: the missing scope explains a refusal but never overrules
    /// GitHub confirming the membership.
    @Test func tokenReportingNoScopesIsAdmittedWhenGitHubConfirmsMembership() async throws {
        try await AppHarness.run { h in
            let client = try await h.githubClient()
            let gate = Gate(rules: h.config.gate, github: client)
            for (userID, expected) in [(Demo.octocat, GateDecision.admitted(rule: "member of acme")),
                                       (Demo.hubot, .denied(.scopeNotGranted("read:org")))] {
                let pkce = PKCE.generate()
                let url = client.authorizeURL(state: OAuthState.generate(), codeChallenge: pkce.challenge, scopes: ["read:org"])
                let callback = try await h.authorize(url, as: userID, browser: h.browser())
                let token = try await client.exchangeCode(try #require(FormEncoding.query(of: callback)["code"]), codeVerifier: pkce.verifier)
                let user = try await client.user(token: token.token)
                #expect(await gate.check(user, token: AccessToken(token: token.token, scopes: [])) == expected)
                #expect(await gate.check(user, token: AccessToken(token: token.token, scopes: ["admin:org"])) == expected.withoutScopeHint)
            }
        }
    }
}

extension GateDecision {
    /// The same decision when the scope was granted: a non-member is then simply not a member.
    var withoutScopeHint: GateDecision {
        if case .denied(.scopeNotGranted) = self { return .denied(.notMember(rules: "members of acme")) }
        return self
    }
}

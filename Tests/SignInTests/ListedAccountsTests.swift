import Foundation
import Testing
import ServiceLifecycle
import AppTestSupport
import GitHubSandbox
import GitHub
import Storage
@testable import Newsroom

/// `GITHUB_USERS` admits accounts, not logins: each listed login is pinned to the GitHub id it resolves to,
/// and a login that changes hands keeps nobody else in.
@Suite struct ListedAccountsTests {
    static let hubotOnly = GateRules(users: ["hubot"])

    func warned(_ h: AppHarness, _ text: String) -> Bool {
        h.logs.lines.contains { $0.level == .warning && $0.text.contains(text) }
    }

    @Test func listedLoginTakenOverByAnotherAccountIsRefusedAtSignIn() async throws {
        try await AppHarness.run(gate: Self.hubotOnly) { h in
            #expect(try await h.signIn(h.browser(), as: Demo.hubot).status == 302, "the listed account gets in")
            h.sandbox.reassignLogin("hubot", renamingHolderTo: "hubot-old", toNewAccount: 99)

            let taker = try await h.signIn(h.browser(), as: 99)
            #expect(taker.status == 403)
            #expect(taker.body.contains("This newsroom is for hubot, and your GitHub account is not among them."))
            #expect(taker.setCookie(named: h.sessionCookie) == nil)
            #expect(try await h.store.user(githubID: 99) == nil)
            #expect(warned(h, "listed GitHub login 'hubot' is now held by account 99, not account 2 it was resolved to: refused"))
            // The listed account under its new login is not "hubot" any more either.
            #expect(try await h.signIn(h.browser(), as: Demo.hubot).status == 403)
        }
    }

    @Test func listedLoginTakenOverIsRefusedAtTheRecheck() async throws {
        try await AppHarness.run(gate: Self.hubotOnly) { h in
            let original = h.browser()
            try await h.signIn(original, as: Demo.hubot)
            h.sandbox.reassignLogin("hubot", renamingHolderTo: "hubot-old", toNewAccount: 99)
            // A session the new holder got while logins were enough (an older version admitted by login).
            let taker = try await h.signedIn(as: "hubot", admittedBy: "listed user hubot")
            await #expect(try h.storedSession(of: taker)?.githubID == 99)

            h.clock.advance(by: 601)
            let refused = try await taker.get("/me")
            #expect(refused.status == 403)
            #expect(refused.body.contains("not among them"))
            await #expect(try h.storedSession(of: taker) == nil)
            #expect(warned(h, "listed GitHub login 'hubot' is now held by account 99, not account 2"))
            #expect(try await original.get("/me").status == 403, "account 2 is hubot-old now, which is not listed")
        }
    }

    @Test func listedLoginThatNoLongerResolvesIsRefused() async throws {
        try await AppHarness.run(gate: Self.hubotOnly) { h in
            let gate = Gate(rules: Self.hubotOnly, github: try h.githubOnAppClock(), logger: h.logs.logger())
            let hubot = GitHubUser(id: Demo.hubot, login: "hubot")
            #expect(await gate.check(hubot, token: "unused") == .admitted(rule: "listed user hubot"))

            h.sandbox.renameUser(id: Demo.hubot, to: "hubot-old")
            #expect(await gate.listedAccounts.refresh(now: h.clock.now), "a 404 is an answer")
            #expect(await gate.listedAccounts.resolution(of: "HUBOT") == .noSuchAccount)
            #expect(warned(h, "listed GitHub login 'hubot' no longer names account 2 (renamed or deleted)"))
            // Even a stale profile still naming the login does not get the account in.
            #expect(await gate.check(hubot, token: "unused") == .denied(.notMember(rules: "hubot")))

            h.sandbox.renameUser(id: Demo.hubot, to: "hubot")
            #expect(await gate.listedAccounts.refresh(now: h.clock.now))
            #expect(await gate.check(hubot, token: "unused") == .admitted(rule: "listed user hubot"))
        }
    }

    @Test func startsWithoutGitHubThenResolvesOnFirstUseAndKeepsThePin() async throws {
        try await AppHarness.run(gate: Self.hubotOnly) { h in
            let network = GitHubNetwork(down: true)
            let gate = Gate(rules: Self.hubotOnly, github: try h.githubOnAppClock(over: network), logger: h.logs.logger())
            let hubot = GitHubUser(id: Demo.hubot, login: "hubot")

            #expect(await gate.listedAccounts.refresh(now: h.clock.now) == false)
            #expect(!gate.listedAccounts.allResolved)
            #expect(warned(h, "could not resolve listed GitHub login 'hubot' now (it resolves on first use)"))
            #expect(await gate.check(hubot, token: "unused") == .denied(.githubUnavailable), "unresolved: fail closed")

            network.isDown = false
            #expect(await gate.check(hubot, token: "unused") == .admitted(rule: "listed user hubot"))
            #expect(gate.listedAccounts.allResolved)

            // Later answers never move the pin.
            h.sandbox.reassignLogin("hubot", renamingHolderTo: "hubot-old", toNewAccount: 99)
            #expect(await gate.listedAccounts.refresh(now: h.clock.now))
            #expect(warned(h, "listed GitHub login 'hubot' now belongs to account 99, not account 2 it was resolved to"))
            #expect(await gate.listedAccounts.resolution(of: "hubot") == .account(id: Demo.hubot))
            #expect(await gate.check(GitHubUser(id: 99, login: "hubot"), token: "unused") == .denied(.notMember(rules: "hubot")))
        }
    }

    @Test func unresolvedLoginWhileRateLimitedSaysWhenToComeBack() async throws {
        try await AppHarness.run(gate: Self.hubotOnly) { h in
            let gate = Gate(rules: Self.hubotOnly, github: try h.githubOnAppClock(), logger: h.logs.logger())
            h.sandbox.limitRequests(.secondary(retryAfter: 90))
            let decision = await gate.check(GitHubUser(id: Demo.hubot, login: "hubot"), token: "unused")
            #expect(decision == .denied(.rateLimited(until: h.clock.now.addingTimeInterval(90))))
            // The daily round does not ask while GitHub's wait holds.
            let asked = h.sandbox.requests.count
            #expect(await gate.listedAccounts.refresh(now: h.clock.now) == false)
            #expect(h.sandbox.requests.count == asked)
        }
    }

    /// The service resolves at start without holding start-up, and catches up soon after an outage.
    @Test(.timeLimit(.minutes(1)))
    func serviceResolvesAtStartAndCatchesUpAfterAnOutage() async throws {
        try await AppHarness.run(gate: Self.hubotOnly) { h in
            let network = GitHubNetwork(down: true)
            let accounts = ListedAccounts(logins: ["hubot", "octocat"], github: try h.githubOnAppClock(over: network), logger: h.logs.logger())
            let service = ListedAccountsService(accounts: accounts, now: { h.clock.now }, interval: .seconds(3600), retryInterval: .milliseconds(20))
            let group = ServiceGroup(services: [service], gracefulShutdownSignals: [], cancellationSignals: [], logger: h.logs.logger())
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                do {
                    try await h.logs.waitForLine(startingWith: "could not resolve listed GitHub login", timeout: .seconds(10))
                    network.isDown = false
                    try await h.logs.waitForLine(startingWith: "listed GitHub login 'hubot' is account 2", timeout: .seconds(10))
                    try await h.logs.waitForLine(startingWith: "listed GitHub login 'octocat' is account 1", timeout: .seconds(10))
                    #expect(accounts.allResolved)
                } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    /// The app runs the service when users are listed: their ids are known before anyone signs in.
    @Test(.timeLimit(.minutes(1)))
    func theAppResolvesListedLoginsAtStart() async throws {
        try await AppHarness.run(gate: GateRules(org: "acme", users: ["hubot"]), mode: .live, runsRefresher: true) { h in
            try await h.logs.waitForLine(startingWith: "listed GitHub login 'hubot' is account 2", timeout: .seconds(10))
            #expect(h.sandbox.requests.contains { $0.endpoint == .userByLogin && $0.path.hasSuffix("/users/hubot") })
        }
    }
}

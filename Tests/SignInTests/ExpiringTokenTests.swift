import Foundation
import Testing
import AppTestSupport
import GitHubSandbox
import Storage
@testable import Newsroom

/// Spec §7 item 18: expiring tokens are refreshed before they run out, once however many requests ask at the
/// same moment, and the rotated pair is what the next refresh uses; a refused refresh token means signing in again.
@Suite struct ExpiringTokenTests {
    static let lifetime: TimeInterval = 28_800  // GitHub's 8 h

    @Test func expiringTokensAreRefreshedOnceAndTheRotatedPairIsKept() async throws {
        try await AppHarness.run { h in
            h.sandbox.setExpiringTokens(true)
            let browser = h.browser()
            try await h.signIn(browser, as: Demo.octocat)
            let id = try #require(browser.cookie(h.sessionCookie))
            let signedIn = try #require(try await h.store.session(idHash: Opaque.hash(id)))
            let expiresAt = try #require(signedIn.tokenExpiresAt)
            #expect(abs(expiresAt.timeIntervalSince(h.clock.now) - Self.lifetime) < 1)
            #expect(signedIn.encryptedRefreshToken != nil)

            let tokenCalls = { h.sandbox.requests.filter { $0.endpoint == .accessToken }.count }
            let afterSignIn = tokenCalls()
            for round in 1...2 {
                // Inside the refresh margin of the current token, and past the membership TTL.
                h.clock.advance(by: Self.lifetime - 60)
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<6 { group.addTask { try await browser.get("/me").status } }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(statuses == Array(repeating: 200, count: 6))
                // One refresh per round: a second one would spend the rotated refresh token and end the session.
                #expect(tokenCalls() == afterSignIn + round)
            }
            let refreshed = try #require(try await h.store.session(idHash: Opaque.hash(id)))
            #expect(refreshed.encryptedToken != signedIn.encryptedToken)
            #expect(refreshed.encryptedRefreshToken != signedIn.encryptedRefreshToken)
            #expect(try #require(refreshed.tokenExpiresAt) > expiresAt)
        }
    }

    @Test func aRefusedRefreshTokenEndsTheSession() async throws {
        try await AppHarness.run { h in
            h.sandbox.setExpiringTokens(true)
            let browser = h.browser()
            try await h.signIn(browser, as: Demo.octocat)
            let id = try #require(browser.cookie(h.sessionCookie))
            h.sandbox.revokeAllTokens(of: "octocat")  // the refresh token dies with them
            h.clock.advance(by: Self.lifetime)
            let denied = try await browser.get("/me")
            #expect(denied.status == 403)
            #expect(denied.body.contains("Your GitHub authorization for newsroom was revoked or has expired."))
            #expect(try await h.store.session(idHash: Opaque.hash(id)) == nil)
        }
    }

    @Test func tokensThatDoNotExpireAreNeverRefreshed() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            try await h.signIn(browser, as: Demo.octocat)
            let id = try #require(browser.cookie(h.sessionCookie))
            #expect(try await h.store.session(idHash: Opaque.hash(id))?.tokenExpiresAt == nil)
            let tokenCalls = h.sandbox.requests.filter { $0.endpoint == .accessToken }.count
            h.clock.advance(by: Self.lifetime)
            #expect(try await browser.get("/me").status == 200)
            #expect(h.sandbox.requests.filter { $0.endpoint == .accessToken }.count == tokenCalls)
        }
    }
}

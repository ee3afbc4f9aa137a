import Foundation
import Testing
import AppTestSupport
import GitHubSandbox
import Storage
@testable import Newsroom

/// Sealed tokens open only as the kind they were sealed as, and only for the session row they were sealed for:
/// a ciphertext copied into another row or column is as good as a revoked token.
@Suite struct TokenBindingTests {
    let sealer = TokenSealer(secret: Array(repeating: 1, count: 32))
    static let token = "gho_0123456789abcdefghijklmnopqrstuvwxyz"

    @Test func bothKindsRoundTripForTheirRow() async throws {
        for kind in TokenSealer.TokenKind.allCases {
            let sealed = try sealer.seal(Self.token, kind: kind, session: "row-a")
            #expect(sealer.open(sealed, kind: kind, session: "row-a") == Self.token)
        }
    }

    @Test func accessAndRefreshTokensDoNotOpenAsEachOther() async throws {
        let access = try sealer.seal(Self.token, kind: .access, session: "row-a")
        let refresh = try sealer.seal(Self.token, kind: .refresh, session: "row-a")
        #expect(sealer.open(access, kind: .refresh, session: "row-a") == nil)
        #expect(sealer.open(refresh, kind: .access, session: "row-a") == nil)
    }

    @Test func aTokenSealedForOneSessionDoesNotOpenForAnother() async throws {
        for kind in TokenSealer.TokenKind.allCases {
            let sealed = try sealer.seal(Self.token, kind: kind, session: "row-a")
            #expect(sealer.open(sealed, kind: kind, session: "row-b") == nil)
            #expect(sealer.open(sealed, kind: kind, session: "") == nil)
        }
    }

    @Test func aTamperedTokenDoesNotOpen() async throws {
        let sealed = try sealer.seal(Self.token, kind: .access, session: "row-a")
        // Nonce, ciphertext and tag: a flipped bit anywhere fails.
        for index in [0, 12, sealed.count / 2, sealed.count - 1] {
            var tampered = sealed
            tampered[index] ^= 1
            #expect(sealer.open(tampered, kind: .access, session: "row-a") == nil, "byte \(index)")
        }
        #expect(sealer.open(Array(sealed.dropLast()), kind: .access, session: "row-a") == nil)
        #expect(sealer.open([], kind: .access, session: "row-a") == nil)
    }

    /// Two sessions of the same person, so without the binding B's re-check would pass on A's token.
    @Test func anAccessTokenCopiedIntoAnotherSessionEndsThatSession() async throws {
        try await AppHarness.run { h in
            let a = try await h.signedIn(as: "octocat"), b = try await h.signedIn(as: "octocat")
            let aHash = Opaque.hash(try #require(a.cookie(h.sessionCookie)))
            let bHash = Opaque.hash(try #require(b.cookie(h.sessionCookie)))
            _ = try await h.sqlite("""
                UPDATE sessions SET encryptedToken = (SELECT encryptedToken FROM sessions WHERE idHash = '\(aHash)') \
                WHERE idHash = '\(bHash)'
                """)
            // Past the membership TTL, and so past the 5 s session cache too.
            h.clock.advance(by: TimeInterval(h.config.membershipTTL.components.seconds) + 6)

            let refused = try await b.get("/me")
            #expect(refused.status == 403)
            #expect(refused.body.contains("Your GitHub authorization for newsroom was revoked or has expired."))
            #expect(try await h.store.session(idHash: bHash) == nil)
            #expect(try await a.get("/me").status == 200)
            #expect(try await h.store.session(idHash: aHash) != nil)
            h.expectNoLeaks()
        }
    }

    /// The access token never reaches GitHub's token endpoint as a refresh token: it does not open as one.
    @Test func anAccessTokenCopiedIntoTheRefreshColumnIsNotSpent() async throws {
        try await AppHarness.run { h in
            h.sandbox.setExpiringTokens(true)
            let browser = h.browser()
            try await h.signIn(browser, as: Demo.octocat)
            let idHash = Opaque.hash(try #require(browser.cookie(h.sessionCookie)))
            _ = try await h.sqlite("UPDATE sessions SET encryptedRefreshToken = encryptedToken WHERE idHash = '\(idHash)'")
            let tokenCalls = { h.sandbox.requests.filter { $0.endpoint == .accessToken }.count }
            let before = tokenCalls()
            h.clock.advance(by: ExpiringTokenTests.lifetime)

            #expect(try await browser.get("/me").status == 403)
            #expect(tokenCalls() == before)
            #expect(try await h.store.session(idHash: idHash) == nil)
            h.expectNoLeaks()
        }
    }
}

import Foundation
import Testing
import AppTestSupport
import GitHubSandbox
import Storage
@testable import Newsroom

/// Spec §7 item 17. Every harness run already scans logs and pages; this test makes sure that scan has
/// something to find, by running the noisiest paths and checking what was collected.
@Suite struct SecretHygieneTests {
    @Test func aFullRunLogsNoTokenCodeCookieOrSecret() async throws {
        try await AppHarness.run(configure: { $0.revokeOnLogout = .token }) { h in
            let browser = h.browser()
            let done = try await h.signIn(browser, as: Demo.octocat, next: "/me")
            let code = try #require(h.observed.pages.compactMap(\.location).compactMap { FormEncoding.query(of: $0)["code"] }.first)
            try await h.signIn(h.browser(), as: Demo.hubot)
            h.sandbox.injectTokenResponses(InjectedResponse(status: 200, body: #"{"error":"incorrect_client_credentials"}"#))
            try await h.signIn(h.browser(), as: Demo.octocat)
            let csrf = try await #require(try h.storedSession(of: browser)?.csrfToken)
            _ = try await browser.post("/logout", form: [("csrf", csrf + "x")])
            _ = try await browser.post("/logout", form: [("csrf", csrf)])

            let secrets = h.observed.secrets
            #expect(secrets.contains(code))
            #expect(secrets.contains(csrf))
            #expect(secrets.contains(try #require(CookieLine(done.setCookie(named: h.sessionCookie))?.value)))
            #expect(secrets.contains(h.clientSecret))
            // The log is not empty: the scan looked at real lines (sign-in, denial, failure, sign-out, requests).
            let text = h.logs.allText
            for expected in ["signed in", "sign-in denied", "sign-in failed", "signed out"] {
                #expect(text.contains(expected), "no “\(expected)” line was logged")
            }
            #expect(text.contains("github_id=1"))
            #expect(text.contains("reason=not-member"))
            h.expectNoLeaks()
        }
    }

    @Test func sealedTokensOpenOnlyWithTheirKey() throws {
        let sealer = TokenSealer(secret: Array(repeating: 1, count: 32))
        func seal(_ token: String) throws -> [UInt8] { try sealer.seal(token, kind: .access, session: "row") }
        let sealed = try seal("gho_0123456789abcdefghijklmnopqrstuvwxyz")
        #expect(!String(decoding: sealed, as: UTF8.self).contains("gho_"))
        #expect(sealer.open(sealed, kind: .access, session: "row") == "gho_0123456789abcdefghijklmnopqrstuvwxyz")
        #expect(TokenSealer(secret: Array(repeating: 2, count: 32)).open(sealed, kind: .access, session: "row") == nil,
                "a rotated key cannot open old tokens")
        #expect(sealer.open([], kind: .access, session: "row") == nil)
        #expect(try seal("gho_same") != seal("gho_same"), "a fresh nonce every time")
    }
}

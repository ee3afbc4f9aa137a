import Foundation
import Testing
import AppTestSupport
import Curl
@testable import Newsroom

/// The sign-in callback counts each outcome on the app's own metrics listener, by reason code and never by login.
@Suite struct SignInMetricsTests {
    @Test(.timeLimit(.minutes(1)))
    func callbacksAreCountedByOutcomeAndReason() async throws {
        try await AppHarness.run(mode: .live, configure: { $0.metricsAddress = MetricsAddress(host: "127.0.0.1", port: 0) }) { h in
            try await h.logs.waitForLine(startingWith: "newsroom metrics at http://127.0.0.1:", timeout: .seconds(20))
            let announced = try #require(h.logs.lines.first { $0.text.hasPrefix("newsroom metrics at ") }?.text)
            let url = String(announced.dropFirst("newsroom metrics at ".count).prefix { !$0.isWhitespace })
            #expect(!url.contains(":\(h.port ?? -1)/"), "metrics on the app's port")

            #expect(try await h.signIn(h.browser(), as: 1).location == "/")  // octocat, an active member of acme
            _ = try await h.signIn(h.browser(), as: 2)  // hubot, not a member
            _ = try await h.signIn(h.browser(), as: 3)  // pending-pat, invitation pending

            let scrape = try await h.browserCurl.send(CurlRequest(url: url, totalTimeout: .seconds(10)))
            #expect(scrape.status == 200)
            let text = String(decoding: scrape.body, as: UTF8.self)
            #expect(text.contains(#"newsroom_sign_ins_total{outcome="admitted",reason="org-member"} 1"#), "\(text)")
            #expect(text.contains(#"newsroom_sign_ins_total{outcome="denied",reason="not-member"} 1"#))
            #expect(text.contains(#"newsroom_sign_ins_total{outcome="denied",reason="pending"} 1"#))
            #expect(text.contains("newsroom_sessions_active 1"))
            // The member's visits: the request metrics name the route template, never the path or a login.
            #expect(text.contains(#"route="/login/github/authorized""#))
            for leaked in ["octocat", "hubot", "pending-pat", "code=", "state="] { #expect(!text.contains(leaked), "\(leaked) in a label") }
        }
    }
}

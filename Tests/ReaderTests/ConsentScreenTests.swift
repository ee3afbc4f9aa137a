import Foundation
import Testing
import AppTestSupport

/// The first screen after "Sign in" in the offline trial: the sandbox's authorize page, styled as a consent screen.
@Suite struct ConsentScreenTests {
    @Test func theSandboxShowsWhichAppAsksForWhatAndWhatEachDemoAccountComesTo() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            let started = try await h.start(browser)
            let page = try await browser.get(started.authorizeURL)
            #expect(page.status == 200)
            let body = page.body
            #expect(body.contains("<h1>Authorize <strong>newsroom</strong></h1>"))
            #expect(body.contains("Read your organization and team memberships</span> <code>read:org</code>"))
            #expect(body.contains("Then you go back to <code>\(h.config.callbackURL)</code>"))
            #expect(body.contains(#"<p class="sandbox-banner" role="note"><strong>Offline sandbox.</strong> This is newsroom’s offline stand-in for GitHub."#))
            #expect(body.contains("nothing you do on this page leaves this machine"))
            // One card per demo account, each saying where the account stands and what signing in will come to.
            let cards: [String] = Array(body.components(separatedBy: #"<li class="account-card account-card--"#).dropFirst())
            #expect(cards.count == 3)
            #expect(cards[0].hasPrefix("in") && cards[0].contains("<strong>octocat</strong>") && cards[0].contains("Active member of acme")
                    && cards[0].contains("Gets in") && cards[0].contains(">Sign in as octocat</button>"))
            #expect(cards[1].hasPrefix("out") && cards[1].contains("Not a member of acme") && cards[1].contains("Sees why"))
            #expect(cards[2].hasPrefix("pending") && cards[2].contains("invitation pending"))
            #expect(body.contains(#"<button class="button" type="submit" name="decision" value="deny">Cancel</button>"#))

            // Styled by a stylesheet of its own, beside the page (so a host's `style-src 'self'` allows it).
            #expect(body.contains(#"<link rel="stylesheet" href="sandbox.css">"#))
            #expect(!body.contains("<style") && !body.contains("style="))
            let css = try await browser.get(h.sandbox.authURL! + "sandbox.css")
            #expect(css.status == 200)
            #expect(css.header("Content-Type") == "text/css; charset=utf-8")
            #expect(css.body.contains(".account-card"))
        }
    }
}

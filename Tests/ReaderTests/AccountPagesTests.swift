import Foundation
import Testing
import AppTestSupport
import GitHubSandbox

/// `/me`, `/status`, and the one-time flash messages around signing in and out.
@Suite struct AccountPagesTests {
    @Test func mePageShowsWhoYouAreAndHowYouGotIn() async throws {
        try await Reader.run { r in
            r.h.sandbox.addUser(SandboxUser(id: 77, login: "ann", name: "Ann <Reader>", avatarURL: "https://avatars.example/u/77"))
            r.h.sandbox.setOrgMembership(org: "acme", login: "ann", state: .active)
            let browser = r.h.browser()
            let done = try await r.h.signIn(browser, as: 77)
            #expect(done.status == 302)
            let page = try await browser.get("/me")
            #expect(page.status == 200)
            #expect(page.body.contains(#"<img class="profile__avatar" src="https://avatars.example/u/77" alt="Avatar of ann""#))
            #expect(page.body.contains("<h1>Ann &lt;Reader&gt;</h1>"))
            #expect(page.body.contains(#"<p class="profile__login">@ann on GitHub</p>"#))
            #expect(page.body.contains("<dt>GitHub account ID</dt><dd>77</dd>"))
            #expect(page.body.contains("<dt>Admitted as</dt><dd>member of acme</dd>"))
            #expect(page.body.contains(#"<dt>Membership last checked</dt><dd><time datetime="2026-05-28T20:26:40Z" title="2026-05-28 20:26 UTC">just now</time>"#))
            // Idle timeout (24 h) comes before the absolute one (7 days).
            #expect(page.body.contains(#"<dt>This session ends</dt><dd><time datetime="2026-05-29T20:26:40Z" title="2026-05-29 20:26 UTC">tomorrow</time>"#))
            let form = page.section(from: #"<form method="post" action="/logout">"#, to: "</form>")
            let csrf = try #require(form.firstMatch(of: /name="csrf" value="([A-Za-z0-9_-]{20,})"/)?.1)
            #expect(form.contains("Sign out</button>"))
            #expect(page.header("Cache-Control") == "no-store")

            // The token in the form is the one that signs out.
            let out = try await browser.post("/logout", form: [("csrf", String(csrf))])
            #expect(out.status == 302)
            #expect(out.location == "/")
            #expect(try await browser.get("/me").status == 302)
        }
    }

    @Test func meAndStatusNeedSigningIn() async throws {
        try await Reader.run { r in
            for path in ["/me", "/status"] {
                let page = try await r.h.browser().get(path)
                #expect(page.status == 302, "\(path)")
                #expect(page.location == "/login?next=\(path)", "\(path)")
            }
        }
    }

    @Test func statusShowsEachPublicationsLastFetch() async throws {
        try await Reader.run { r in
            try await r.fetch("bbc", "cnn")
            r.h.clock.advance(by: 120)
            r.feeds.publish(nil, at: Reader.cnnFeed)
            try await r.fetch("cnn")
            let page = try await r.member().get("/status")
            #expect(page.status == 200)
            #expect(page.body.contains("<h1>Feed status</h1>"))
            let rows = Array(page.body.components(separatedBy: "<tr").dropFirst(2))
            #expect(rows.count == 3)
            let cnn = try #require(rows.first)
            let bbc = try #require(rows.dropFirst().first)
            let quiet = try #require(rows.last)
            #expect(cnn.hasPrefix(#" class="is-failing">"#))
            #expect(cnn.contains(#"<a href="/news/cnn">CNN</a> <span class="muted">(cnn)</span>"#))
            #expect(cnn.contains("<td>404</td>"))
            #expect(cnn.contains(#"<span class="status-error">HTTP 404</span>"#))
            #expect(cnn.contains("failing since"))
            #expect(cnn.contains("1 in a row"))
            #expect(cnn.contains(#"<td class="num">3</td>"#))
            #expect(cnn.contains(">in "), "next try is in the future")

            #expect(bbc.contains(#"title="2026-05-28 20:26 UTC">2 minutes ago</time>"#), "last fetch")
            #expect(bbc.contains("<td>200</td>"))
            #expect(bbc.contains(#"<td class="num">25</td>"#))
            #expect(bbc.contains(#"<span class="status-ok">OK</span>"#))

            #expect(quiet.contains(#"<span class="muted">never</span>"#))
            #expect(quiet.contains(#"<td class="num">0</td>"#))
            #expect(quiet.contains("waiting for the first fetch"))
        }
    }

    @Test func signedInFlashShowsOnceThenNeverAgain() async throws {
        try await Reader.run { r in
            let browser = r.h.browser()
            let done = try await r.h.signIn(browser, as: Demo.octocat)
            #expect(done.location == "/")
            let first = try await browser.get(try #require(done.location))
            #expect(first.body.contains(#"<p class="flash" role="status">Signed in as octocat</p>"#))
            let second = try await browser.get("/")
            #expect(second.status == 200)
            #expect(!second.body.contains("Signed in as"))
            #expect(!second.body.contains(#"class="flash""#))
        }
    }

    @Test func signedOutFlashShowsOnceOnHome() async throws {
        try await Reader.run { r in
            let browser = try await r.member()
            let me = try await browser.get("/me")
            let csrf = try #require(me.body.firstMatch(of: /name="csrf" value="([^"]+)"/)?.1)
            let out = try await browser.post("/logout", form: [("csrf", String(csrf))])
            let home = try await browser.get(try #require(out.location))
            #expect(home.status == 200)
            #expect(home.body.contains(#"<p class="flash" role="status">Signed out</p>"#))
            #expect(home.body.contains("Sign in with GitHub"))
            let again = try await browser.get("/")
            #expect(!again.body.contains("Signed out"))
        }
    }
}

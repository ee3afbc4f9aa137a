import Foundation
import Testing
@testable import Pages

@Suite struct LayoutTests {
    @Test func signedInHeaderShowsMemberNavAndSignOutForm() async throws {
        let html = try await Fixtures.renderer().renderPage(Samples.newsPage, layout: Samples.signedInLayout(title: "BBC News"))
        #expect(html.hasPrefix("<!doctype html>\n<html lang=\"en\">"))
        #expect(html.contains("<title>BBC News · newsroom</title>"))
        #expect(html.contains(#"<nav class="site-nav" aria-label="Publications">"#))
        #expect(html.contains(#"<a href="/news/bbc" aria-current="page">BBC News</a>"#))
        #expect(html.contains(#"<a href="/news/cnn">CNN</a>"#))
        #expect(html.contains(#"<a class="site-nav__all" href="/publications">All publications</a>"#))
        #expect(html.contains(#"<span class="account__login">octocat</span>"#))
        #expect(html.contains(#"src="https://avatars.githubusercontent.com/u/583231?v=4""#))
        #expect(html.contains(#"<form class="account__logout" method="post" action="/logout">"#))
        #expect(html.contains(#"<input type="hidden" name="csrf" value="csrf-abc123">"#))
        #expect(html.contains(##"<a class="skip-link" href="#main">"##))
        #expect(html.contains(#"<main id="main" tabindex="-1">"#))
        #expect(!html.contains(">Sign in</a>"))
    }

    @Test func signedOutHeaderHasNoMemberAndNoSignOutForm() async throws {
        let html = try await Fixtures.renderer().renderPage(
            Samples.signedOutHome, layout: LayoutContext(title: "Welcome", signInURL: "/login"))
        #expect(!html.contains("/logout"))
        #expect(!html.contains(#"name="csrf""#))
        #expect(!html.contains("account__login"))
        #expect(!html.contains("<nav"))
        #expect(html.contains(#"<a class="button button--small" href="/login">Sign in</a>"#))
    }

    @Test func headerSignInLinkIsHiddenWhenSignedInOrUnsafe() async throws {
        let renderer = try await Fixtures.renderer()
        var layout = Samples.signedInLayout(title: "x")
        layout.signInURL = "/login"
        #expect(!renderer.wrap(fragmentHTML: "", layout: layout).contains(">Sign in</a>"))
        let unsafe = LayoutContext(title: "x", signInURL: "javascript:alert(1)")
        #expect(!renderer.wrap(fragmentHTML: "", layout: unsafe).contains("javascript:"))
    }

    @Test func flashIsShownOnlyWhenGiven() async throws {
        let renderer = try await Fixtures.renderer()
        let with = renderer.wrap(fragmentHTML: "<p>x</p>", layout: Samples.signedInLayout(title: "x", flash: "Signed in as octocat."))
        #expect(with.components(separatedBy: #"<p class="flash" role="status">Signed in as octocat.</p>"#).count - 1 == 1)
        let without = renderer.wrap(fragmentHTML: "<p>x</p>", layout: Samples.signedInLayout(title: "x"))
        #expect(!without.contains("class=\"flash\""))
        let blank = renderer.wrap(fragmentHTML: "<p>x</p>", layout: Samples.signedInLayout(title: "x", flash: " "))
        #expect(!blank.contains("class=\"flash\""))
    }

    @Test func fragmentPlusWrapEqualsRenderPage() async throws {
        let renderer = try await Fixtures.renderer()
        let layout = Samples.signedInLayout(title: "BBC News", flash: "Hello")
        let whole = renderer.renderPage(Samples.newsPage, layout: layout)
        let fragment = renderer.renderFragment(Samples.newsPage)
        #expect(renderer.wrap(fragmentHTML: fragment, layout: layout) == whole)
        #expect(whole.contains(fragment))
    }

    @Test func cachedFragmentIsWrappedPerMember() async throws {
        let renderer = try await Fixtures.renderer()
        let fragment = renderer.renderFragment(Samples.newsPage)
        let alice = renderer.wrap(fragmentHTML: fragment, layout: LayoutContext(
            title: "BBC", member: NavMember(login: "alice", avatarURL: nil, csrfToken: "token-a")))
        let bob = renderer.wrap(fragmentHTML: fragment, layout: LayoutContext(
            title: "BBC", member: NavMember(login: "bob", avatarURL: nil, csrfToken: "token-b")))
        #expect(alice.contains("alice") && alice.contains("token-a") && !alice.contains("token-b"))
        #expect(bob.contains("bob") && bob.contains("token-b") && !bob.contains("token-a"))
    }

    @Test func everyPageIsCSPFriendlyAndAccessible() async throws {
        let renderer = try await Fixtures.renderer()
        for (name, html) in Samples.allPages(renderer) {
            #expect(!html.contains("style="), "\(name) has an inline style")
            #expect(!html.contains("<style"), "\(name) has an inline stylesheet")
            #expect(!html.contains("<script"), "\(name) has a script")
            #expect(!html.lowercased().contains(" on"+"click"), "\(name) has an event handler")
            #expect(html.contains(#"<html lang="en">"#), "\(name) has no language")
            #expect(html.contains(#"<link rel="stylesheet" href="/static/style.css">"#), "\(name) has no stylesheet")
            #expect(html.components(separatedBy: "<h1").count - 1 == 1, "\(name) needs exactly one h1")
            #expect(!html.contains("method=\"get\""), "\(name) has a GET form")
            for image in html.components(separatedBy: "<img").dropFirst() {
                #expect(image.prefix(while: { $0 != ">" }).contains("alt="), "\(name) has an image without alt")
            }
        }
    }
}

import Testing
@testable import Pages

@Suite struct URLPolicyTests {
    @Test(arguments: [
        "javascript:alert(1)", "JavaScript:alert(1)", "  javascript:alert(1)", "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)",
        "//evil.example/x", "/relative/path", "https:no-host", "http://", "ftp://example.com/a",
        "", "   ", "https://exa mple.com/", "https://example.com/\u{0}x", "https:\\\\evil.example",
    ])
    func articleLinksOtherThanHTTPAreDropped(link: String) {
        #expect(ArticleView(title: "t", link: link).href == nil)
    }

    @Test(arguments: ["https://www.bbc.co.uk/news/1", "http://example.com/a?b=1&c=2", "HTTPS://EXAMPLE.COM/x"])
    func httpAndHTTPSLinksAreKept(link: String) {
        #expect(ArticleView(title: "t", link: link).href == link)
    }

    @Test(arguments: [
        "http://ichef.bbci.co.uk/a.jpg", "data:image/png;base64,iVBORw0KGgo=", "javascript:alert(1)",
        "//cdn.example/a.jpg", "/local.jpg", "file:///etc/passwd", "https://",
    ])
    func thumbnailsOtherThanHTTPSAreDropped(url: String) {
        #expect(ArticleView(title: "t", link: "https://a.example/", thumbnailURL: url).thumbnailURL == nil)
        #expect(NavMember(login: "x", avatarURL: url, csrfToken: "c").avatarURL == nil)
        #expect(MePage(avatarURL: url, name: nil, login: "x", githubID: 1, admittedBy: "a",
                       membershipChecked: Fixtures.time(minutesAgo: 1), sessionExpires: Fixtures.time(minutesAgo: -1),
                       csrfToken: "c").avatarURL == nil)
    }

    @Test func httpsThumbnailIsKept() {
        let url = "https://ichef.bbci.co.uk/news/240/a.jpg"
        #expect(ArticleView(title: "t", link: "https://a.example/", thumbnailURL: url).thumbnailURL == url)
    }

    @Test(arguments: ["//evil.example", "/\\evil.example", "javascript:alert(1)", "/lo gin"])
    func appLinksMustBeLocalOrWeb(url: String) {
        #expect(HomeSignedOutPage(gateSummary: "g", signInURL: url).signInURL == nil)
        #expect(DeniedPage(reason: "r", tryAgainURL: url).tryAgainURL == nil)
    }

    @Test func deniedDetailBecomesALinkOnlyWhenHTTPS() {
        let approval = "https://github.com/orgs/acme/policies/applications/123"
        let asLink = DeniedPage(reason: "r", detail: approval, tryAgainURL: "/login")
        #expect(asLink.detailLink == approval)
        #expect(asLink.detail == nil)

        let insecure = DeniedPage(reason: "r", detail: "http://github.com/orgs/acme", tryAgainURL: "/login")
        #expect(insecure.detailLink == nil)
        #expect(insecure.detail == "http://github.com/orgs/acme")

        let hostile = DeniedPage(reason: "r", detailLink: "javascript:alert(1)", tryAgainURL: "/login")
        #expect(hostile.detailLink == nil)
    }

    @Test func publicationPathsAreEncoded() {
        #expect(NavPublication(id: "bbc", name: "BBC").path == "/news/bbc")
        #expect(PublicationLink(id: "a/b?c", name: "x").path == "/news/a%2Fb%3Fc")
    }
}

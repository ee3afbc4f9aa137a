import Foundation
import Testing
import AppTestSupport
@testable import Newsroom

/// `next=` (spec §7 item 11): only plain local paths survive, everything else ends on "/".
@Suite struct SafeRedirectTests {
    /// The payloads of the brief plus the families oauth2-proxy's open-redirect list covers: protocol-relative,
    /// backslashes, encoded slashes (single, double, mixed case), whitespace and control characters between
    /// slashes, schemes (plain, encoded, obfuscated), userinfo tricks, dot segments, Unicode format characters.
    static let hostile: [String] = [
        "//evil.com", "/\\evil.com", "https:evil.com", "https://evil.com", "%2f%2fevil.com", "/%2f/evil.com",
        "/%5cevil.com", "\\/evil.com", "/\t/evil.com", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
        "/%09/evil.com", "/%2F%2Fevil.com", "/%252f%252fevil.com", "/%25252f%25252fevil.com", "/%5C%5Cevil.com",
        "///evil.com", "////evil.com/", "/\\/\\/evil.com/", "/\\/evil.com/", "//\\evil.com", "\\\\evil.com",
        "//%09/evil.com", "// /evil.com", "/ /evil.com", "/\n/evil.com", "/\r\n/evil.com", "/\u{0B}/evil.com",
        "/\u{0C}/evil.com", "/\u{0}/evil.com", "/news\r\nSet-Cookie: a=b", "/news%0d%0aSet-Cookie:%20a=b",
        "/news/\u{7F}", "/news/\u{85}", "/\u{202E}moc.live//", "/\u{200B}/evil.com", "/\u{3000}/evil.com", "/\u{A0}/evil.com",
        "/./evil.com", "/../evil.com", "/.//evil.com", "/news/..//evil.com", "/https://evil.com", "/http://evil.com",
        "/https:/%5cevil.com/", "/%68%74%74%70%3a%2f%2fevil.com", "http://%65vil.com", "//evil.com@example.org",
        "evil.com", "@evil.com", ".evil.com", "<>//evil.com", "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)",
        "/%zz/evil", "/%E0%A4%A", "/%ff", "", " /news/bbc", "\t/news/bbc", "?next=/", "#/news",
        String(repeating: "/a", count: 1100),
    ]

    static let local: [(String, String)] = [
        ("/", "/"), ("/news/bbc", "/news/bbc"), ("/news/bbc?x=1", "/news/bbc?x=1"), ("/me", "/me"),
        ("/news/bbc?x=1&y=two#top", "/news/bbc?x=1&y=two#top"), ("/status", "/status"), ("/news/caf%C3%A9", "/news/caf%C3%A9"),
        ("/news/café", "/news/caf%C3%A9"),
    ]

    @Test(arguments: hostile)
    func hostileNextEndsOnHome(_ payload: String) {
        #expect(SafeRedirect.localPath(payload) == "/")
    }

    @Test(arguments: local)
    func localPathIsKept(_ path: String, _ expected: String) {
        #expect(SafeRedirect.localPath(path) == expected)
    }

    /// Every `next` is stored with its sign-in attempt: past 512 bytes it is not worth a row's room.
    @Test func nextIsKeptUpTo512BytesOnly() {
        let longest = "/news/" + String(repeating: "a", count: SafeRedirect.maxBytes - 6)
        #expect(SafeRedirect.localPath(longest) == longest)
        #expect(SafeRedirect.localPath(longest + "a") == "/")
    }

    @Test func anAnonymousLongNextDoesNotReachTheDatabase() async throws {
        try await AppHarness.run { h in
            let browser = h.browser()
            for _ in 0..<20 { _ = try await browser.get("/login?next=/" + String(repeating: "x", count: 2_048)) }
            let longest = try await h.sqlite("SELECT max(length(nextPath)) FROM login_attempts").trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(longest == "1", "every stored next fell back to /")
        }
    }

    @Test func missingNextIsHome() {
        #expect(SafeRedirect.localPath(nil) == "/")
    }

    /// Through the real app: the payload travels in `next`, is stored with the state, and the callback's
    /// Location is checked as the browser would follow it.
    @Test func hostileNextPayloadsEndOnHomeAfterSignIn() async throws {
        let payloads = ["//evil.com", "/\\evil.com", "https:evil.com", "https://evil.com", "%2f%2fevil.com", "/%2f/evil.com",
                        "/%5cevil.com", "\\/evil.com", "/\t/evil.com", "/\u{1}/evil.com", "/news\r\nLocation: //evil.com",
                        "javascript:alert(1)", "/news/bbc?x=1"]
        try await AppHarness.run { h in
            let browser = h.browser()
            for payload in payloads {
                let done = try await h.signIn(browser, as: Demo.octocat, next: payload)
                #expect(done.status == 302)
                #expect(done.location == (payload == "/news/bbc?x=1" ? "/news/bbc?x=1" : "/"), "next=\(payload.debugDescription)")
            }
            // Sent without our encoding too: the server's own query decoding must not open a hole.
            for raw in ["%2f%2fevil.com", "%2F%5Cevil.com", "%252f%252fevil.com", "/%2f%2fevil.com", "%0d%0a/evil.com", "https%3A%2F%2Fevil.com"] {
                let started = try await browser.get("/login?next=" + raw)
                let callback = try await h.authorize(try #require(started.location), as: Demo.octocat, browser: browser)
                #expect(try await browser.get(callback).location == "/", "next=\(raw)")
            }
        }
    }
}

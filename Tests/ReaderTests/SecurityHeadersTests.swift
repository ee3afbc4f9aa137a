import Foundation
import Testing
import AppTestSupport

/// Every response, whatever its kind, carries the security headers; HSTS only over secure transport;
/// personal pages are never cached, static files are.
@Suite struct SecurityHeadersTests {
    static let csp = "default-src 'none'; style-src 'self'; img-src 'self' https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// One of each kind of response: pages, a 404, a static file, the API, health, redirects.
    static func everyKind(_ r: Reader, member: Browser, visitor: Browser) async throws -> [(String, Page)] {
        [
            ("home signed out", try await visitor.get("/")),
            ("home signed in", try await member.get("/")),
            ("news", try await member.get("/news/bbc")),
            ("me", try await member.get("/me")),
            ("status", try await member.get("/status")),
            ("404 signed in", try await member.get("/news/nope")),
            ("404 signed out", try await visitor.get("/nowhere")),
            ("static", try await visitor.get("/static/style.css")),
            ("api", try await member.get("/api/news/bbc")),
            ("api 401", try await visitor.get("/api/news/bbc")),
            ("api 404", try await member.get("/api/news/nope")),
            ("healthz", try await visitor.get("/healthz")),
            ("readyz", try await visitor.get("/readyz")),
            ("redirect to sign-in", try await visitor.get("/news/bbc")),
            ("redirect to GitHub", try await visitor.get("/login")),
            ("405", try await member.post("/news/bbc", form: [("x", "1")])),
        ]
    }

    static func expectCommonHeaders(_ label: String, _ page: Page) {
        #expect(page.header("Content-Security-Policy") == csp, "\(label)")
        #expect(page.header("X-Content-Type-Options") == "nosniff", "\(label)")
        #expect(page.header("X-Frame-Options") == "DENY", "\(label)")
        // Sign-in pages send no Referer; every other page says only its origin to other sites.
        #expect(["strict-origin-when-cross-origin", "no-referrer"].contains(page.header("Referrer-Policy") ?? ""), "\(label): \(page.header("Referrer-Policy") ?? "none")")
        #expect(!page.body.contains("<meta name=\"referrer\""), "\(label): a meta tag would override the header")
    }

    @Test func everyResponseOverPlainHTTPCarriesTheHeadersButNoHSTS() async throws {
        try await Reader.run { r in
            try await r.fetch("bbc")
            let responses = try await Self.everyKind(r, member: try await r.member(), visitor: r.h.browser())
            for (label, page) in responses {
                Self.expectCommonHeaders(label, page)
                #expect(page.header("Strict-Transport-Security") == nil, "\(label): HSTS over plain http")
            }
            // The policy itself: nothing runs, nothing frames us, forms post only here.
            #expect(!Self.csp.contains("unsafe"))
            #expect(!Self.csp.contains("script-src"))
        }
    }

    @Test func overHTTPSEveryResponseAlsoCarriesHSTS() async throws {
        try await Reader.run(mode: .router(publicURL: "https://news.example")) { r in
            #expect(r.h.config.insecureTransport == false)
            try await r.fetch("bbc")
            let member = r.h.browser()
            let done = try await r.h.signIn(member, as: Demo.octocat)
            #expect(done.status == 302)
            #expect(member.cookie("__Host-newsroom-session") != nil)
            let responses = try await Self.everyKind(r, member: member, visitor: r.h.browser())
            for (label, page) in responses {
                Self.expectCommonHeaders(label, page)
                #expect(page.header("Strict-Transport-Security") == "max-age=31536000; includeSubDomains", "\(label)")
            }
            #expect(responses.first { $0.0 == "news" }?.1.status == 200, "the member really was signed in")
        }
    }

    @Test func signedInPagesAreNeverStoredAndStaticFilesAreCacheable() async throws {
        try await Reader.run { r in
            try await r.fetch("bbc")
            let member = try await r.member()
            for path in ["/", "/news/bbc", "/me", "/status", "/api/news/bbc", "/news/nope"] {
                let page = try await member.get(path)
                #expect(page.header("Cache-Control") == "no-store", "\(path)")
            }
            let css = try await r.h.browser().get("/static/style.css")
            #expect(css.status == 200)
            #expect(css.header("Content-Type")?.hasPrefix("text/css") == true)
            #expect(css.header("Cache-Control") == "public, max-age=3600")
            #expect(css.body.contains("{"))
            let icon = try await r.h.browser().get("/static/favicon.svg")
            #expect(icon.status == 200)
            #expect(icon.header("Content-Type")?.hasPrefix("image/svg+xml") == true)
        }
    }

    @Test func aMissingStaticFileIsA404ThatNoCacheKeeps() async throws {
        try await Reader.run { r in
            let member = try await r.member()
            let page = try await member.get("/static/nope.css")
            #expect(page.status == 404)
            // The page carries the member's navbar (and sign-out CSRF token): it must not be publicly cacheable.
            #expect(page.header("Cache-Control") == "no-store")
            #expect(page.body.contains("Page not found"))
        }
    }
}

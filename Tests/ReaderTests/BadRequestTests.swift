import Foundation
import Testing
import AppTestSupport

/// Wrong methods, oversize bodies and odd paths get 4xx pages: never a crash, a 5xx or internals in the body.
@Suite struct BadRequestTests {
    /// Text that would mean internals reached the body.
    static let internals = ["swift-tools-version", "Fatal error", "StorageError", "HTTPError", "/Sources/", ".swift:", "Stack"]

    static func expectClean(_ page: Page, _ label: String) {
        for text in internals { #expect(!page.body.contains(text), "\(label) shows \(text)") }
    }

    @Test func writingToAReadOnlyPageIsA405Page() async throws {
        try await Reader.run { r in
            let member = try await r.member()
            let cases: [(Browser, String, String)] = [
                (member, "POST", "/news/bbc"), (member, "POST", "/"), (member, "DELETE", "/me"), (member, "PUT", "/status"),
                (member, "PATCH", "/api/news/bbc"), (r.h.browser(), "POST", "/news/bbc"), (r.h.browser(), "PUT", "/healthz"),
                (r.h.browser(), "POST", "/readyz"),
            ]
            for (browser, method, path) in cases {
                let page = try await browser.send(method, path, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                                  body: Array("a=1".utf8))
                #expect(page.status == 405, "\(method) \(path)")
                #expect(page.header("Allow") == "GET", "\(method) \(path)")
                #expect(page.header("Content-Type") == "text/html; charset=utf-8", "\(method) \(path)")
                #expect(page.body.contains("Method not allowed"), "\(method) \(path)")
                Self.expectClean(page, "\(method) \(path)")
            }
            // The member stays signed in: a refused write does not end the session.
            #expect(try await member.get("/me").status == 200)
        }
    }

    @Test func anOversizeBodyIsA413Page() async throws {
        try await Reader.run { r in
            let member = try await r.member()
            let csrf = try #require(try await member.get("/me").body.firstMatch(of: /name="csrf" value="([^"]+)"/)?.1)
            let padding = String(repeating: "x", count: 64 * 1024)
            let page = try await member.post("/logout", form: [("csrf", String(csrf)), ("padding", padding)])
            #expect(page.status == 413)
            #expect(page.body.contains("Too large"))
            Self.expectClean(page, "oversize")
            // Nothing was done with the refused request: still signed in.
            #expect(try await member.get("/me").status == 200)
        }
    }

    /// Over a real socket: the raw request line is the point, before any router sees it.
    @Test func oddPathsAre4xxAndNeverCrashTheServer() async throws {
        try await Reader.run(mode: .live) { r in
            let member = try await r.member()
            let cookie = "\(r.h.sessionCookie)=\(try #require(member.cookie(r.h.sessionCookie)))"
            let port = try #require(r.h.port)
            let targets = [
                "/static/../Package.swift", "/static/%2e%2e/%2e%2e/Package.swift", "/static/..%2f..%2fPackage.swift",
                "/static/%2e%2e%5c%2e%2e%5cPackage.swift", "/../../etc/passwd", "/news/..", "/news/%2e%2e", "/news/%00",
                "/news/%ff%fe", "/news/%", "/news/%zz", "/news/bbc%2f..%2f..%2fme", "/api/news/%2e%2e%2fbbc",
                "/news/" + String(repeating: "a", count: 4000), "/%c0%ae%c0%ae/Package.swift",
            ]
            for target in targets {
                let page = try RawHTTP.send("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: \(cookie)\r\nConnection: close\r\n\r\n", port: port)
                #expect((400..<500).contains(page.status), "\(target) → \(page.status)")
                Self.expectClean(page, target)
                #expect(!page.body.contains("root:"), "\(target) served a system file")
            }
            // Garbage on the wire is refused and the server carries on.
            for garbage in ["NOT HTTP AT ALL\r\n\r\n", "GET /\u{1}\u{2} HTTP/1.1\r\nHost: x\r\n\r\n"] {
                let page = try? RawHTTP.send(garbage, port: port)
                if let page { #expect((400..<500).contains(page.status), "garbage → \(page.status)") }
            }
            #expect(try RawHTTP.get("/healthz", port: port).status == 200)
            #expect(try await member.get("/news/bbc").status == 200)
        }
    }
}

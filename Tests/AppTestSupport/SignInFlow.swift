import Foundation
import Testing
import GitHubSandbox

/// The browser's part of the OAuth dance, one visible step at a time.
extension AppHarness {
    public struct Started: Sendable {
        /// The app's answer to /login.
        public var page: Page
        /// Where the app sent the browser (the sandbox's authorize page).
        public var authorizeURL: String
        public var query: [String: String]
        public var state: String { query["state"] ?? "" }
    }

    /// GET /login (optionally with `next`, sent percent-encoded) and read the redirect to GitHub.
    public func start(_ browser: Browser, next: String? = nil) async throws -> Started {
        let path = next.map { "/login?" + FormEncoding.encode([("next", $0)]) } ?? "/login"
        let page = try await browser.get(path)
        let location = try #require(page.location, "GET /login did not redirect: \(page.status)")
        return Started(page: page, authorizeURL: location, query: FormEncoding.query(of: location))
    }

    /// Opens the sandbox's authorize page and approves as `userID` (or cancels); returns the sandbox's redirect
    /// back to the app's callback URL.
    public func authorize(_ authorizeURL: String, as userID: Int64?, browser: Browser) async throws -> String {
        let picker = try await browser.get(authorizeURL)
        try #require(picker.status == 200, "the sandbox refused the authorize request: \(picker.status) \(picker.body)")
        let requestID = try #require(picker.body.firstMatch(of: /name="authorization_request" value="([0-9a-f]+)"/)?.1)
        var form: [(String, String)] = [("authorization_request", String(requestID))]
        if let userID { form += [("user_id", String(userID)), ("decision", "approve")] } else { form.append(("decision", "deny")) }
        let decision = try await browser.post(sandbox.origin! + "/login/oauth/authorize", form: form)
        try #require(decision.status == 302, "the sandbox did not redirect back: \(decision.status)")
        return try #require(decision.location)
    }

    /// The whole sign-in for `userID`: /login → authorize → the app's callback. Returns the callback's answer, or,
    /// when the callback refused, the clean page it sent the browser to (`landing(after:)`).
    @discardableResult
    public func signIn(_ browser: Browser, as userID: Int64 = 1, next: String? = nil) async throws -> Page {
        let started = try await start(browser, next: next)
        let callback = try await authorize(started.authorizeURL, as: userID, browser: browser)
        return try await landing(after: browser.get(callback), browser: browser)
    }

    /// A callback that did not sign in answers with a redirect to a clean page (`/login/denied`, `/login/expired`,
    /// …) so its code and state leave the address bar: follow it, as the browser would, and return that page.
    /// Any other answer (a sign-in's redirect to `next`) is returned as it is.
    public func landing(after callback: Page, browser: Browser) async throws -> Page {
        guard callback.status == 302, let location = callback.location, Self.callbackOutcomePaths.contains(location) else { return callback }
        #expect(callback.header("Referrer-Policy") == "no-referrer" && callback.header("Cache-Control") == "no-store")
        #expect(CookieLine(callback.setCookie(named: loginCookie))?.attributes.contains("max-age=0") == true, "the login cookie is spent")
        return try await browser.get(location)
    }

    static let callbackOutcomePaths: Set<String> = ["/login/denied", "/login/expired", "/login/incomplete", "/login/failed"]

    /// A URL on the app's callback with these query pairs.
    public func callbackURL(_ pairs: [(String, String)]) -> String {
        config.callbackURL + "?" + FormEncoding.encode(pairs)
    }
}

/// Demo-world ids.
public enum Demo {
    public static let octocat: Int64 = 1
    public static let hubot: Int64 = 2
    public static let pendingPat: Int64 = 3
}

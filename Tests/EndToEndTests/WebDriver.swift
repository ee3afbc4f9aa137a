import Foundation
import Curl

/// A minimal W3C WebDriver client over our own HTTP client: enough to drive headless Chromium through
/// chromedriver (navigate, find, click, read, screenshot) without any browser-automation library.
final class WebDriver: Sendable {
    let base: String
    let sessionID: String
    let http: CurlClient

    struct Failure: Error, CustomStringConvertible { let description: String }

    static func start(driverURL: String, http: CurlClient, chromiumPath: String) async throws -> WebDriver {
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": [
                "binary": chromiumPath,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
                         "--no-first-run", "--disable-extensions", "--user-data-dir=\(NSTemporaryDirectory())e2e-chrome-\(UUID().uuidString)"],
            ],
        ]]]
        let value = try await call(http, "POST", driverURL + "/session", capabilities)
        guard let object = value as? [String: Any], let id = object["sessionId"] as? String else {
            throw Failure(description: "chromedriver did not start a session: \(value)")
        }
        return WebDriver(base: driverURL + "/session/" + id, sessionID: id, http: http)
    }

    private init(base: String, sessionID: String, http: CurlClient) {
        self.base = base
        self.sessionID = sessionID
        self.http = http
    }

    func navigate(_ url: String) async throws { _ = try await Self.call(http, "POST", base + "/url", ["url": url]) }
    func currentURL() async throws -> String { try await Self.call(http, "GET", base + "/url", nil) as? String ?? "" }
    func title() async throws -> String { try await Self.call(http, "GET", base + "/title", nil) as? String ?? "" }
    func pageSource() async throws -> String { try await Self.call(http, "GET", base + "/source", nil) as? String ?? "" }
    /// Clicks that submit a form return before the next page has loaded; wait (bounded) for the address to change.
    func waitForURL(_ isExpected: (String) -> Bool) async throws {
        var url = ""
        for _ in 0..<100 {
            url = try await currentURL()
            if isExpected(url) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "browser stayed at \(url)")
    }

    /// Like `waitForURL`, for a form that posts and lands on the same address: wait (bounded) for the text.
    func waitForPage(containing text: String) async throws {
        for _ in 0..<100 {
            if try await pageSource().contains(text) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "the page never showed '\(text)'")
    }

    func deleteAllCookies() async throws { _ = try await Self.call(http, "DELETE", base + "/cookie", nil) }

    /// The first element matching an XPath expression.
    func element(xpath: String) async throws -> String {
        let value = try await Self.call(http, "POST", base + "/element", ["using": "xpath", "value": xpath])
        guard let object = value as? [String: Any], let id = object.values.first as? String else {
            throw Failure(description: "no element for \(xpath)")
        }
        return id
    }

    func click(_ element: String) async throws { _ = try await Self.call(http, "POST", base + "/element/\(element)/click", [String: Any]()) }
    func text(_ element: String) async throws -> String { try await Self.call(http, "GET", base + "/element/\(element)/text", nil) as? String ?? "" }

    func screenshot(to path: String) async throws {
        guard let b64 = try await Self.call(http, "GET", base + "/screenshot", nil) as? String, let data = Data(base64Encoded: b64) else {
            throw Failure(description: "no screenshot")
        }
        try data.write(to: URL(fileURLWithPath: path))
    }

    func quit() async { _ = try? await Self.call(http, "DELETE", base, nil) }

    /// One WebDriver command: JSON in, the `value` field of the JSON answer out; WebDriver errors become `Failure`.
    static func call(_ http: CurlClient, _ method: String, _ url: String, _ body: Any?) async throws -> Any {
        var request = CurlRequest(method: method, url: url, totalTimeout: .seconds(60))
        if let body {
            request.body = Array(try JSONSerialization.data(withJSONObject: body))
            request.headers.append((name: "Content-Type", value: "application/json"))
        }
        if ProcessInfo.processInfo.environment["E2E_TRACE"] != nil { FileHandle.standardError.write(Data("webdriver \(method) \(url)\n".utf8)) }
        let response = try await http.send(request)
        let json = try JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])
        let value = (json as? [String: Any])?["value"] ?? NSNull()
        if response.status >= 400 {
            let message = ((value as? [String: Any])?["message"] as? String) ?? "HTTP \(response.status)"
            throw Failure(description: "WebDriver \(method) \(url.split(separator: "/").suffix(2).joined(separator: "/")): \(message.prefix(300))")
        }
        return value
    }
}

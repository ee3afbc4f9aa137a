import Foundation
import Synchronization
import Curl

/// One answer as a browser sees it: status, every header line, and the body as text.
public struct Page: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: String

    public init(status: Int, headers: [(name: String, value: String)], body: String) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public var location: String? { header("Location") }
    /// Every `Set-Cookie` line, verbatim.
    public var setCookies: [String] { headers.filter { $0.name.caseInsensitiveCompare("Set-Cookie") == .orderedSame }.map(\.value) }

    /// The `Set-Cookie` line for one cookie name, if the response set it.
    public func setCookie(named name: String) -> String? {
        setCookies.first { $0.hasPrefix(name + "=") }
    }
}

/// Sends a request to the app (live over loopback, or straight into the router) and returns what came back.
public typealias AppSender = @Sendable (_ method: String, _ pathAndQuery: String, _ headers: [(name: String, value: String)], _ body: [UInt8]?) async throws -> Page

/// A browser with its own cookie jar for the app's origin. Requests to other origins (the sandbox) carry no
/// cookies and go over a real CurlClient. Redirects are never followed: tests follow them step by step.
public final class Browser: Sendable {
    public let appOrigin: String
    private let sendToApp: AppSender
    private let curl: CurlClient
    private let observed: Observed
    private let jar = Mutex<[String: String]>([:])

    public init(appOrigin: String, sendToApp: @escaping AppSender, curl: CurlClient, observed: Observed) {
        self.appOrigin = appOrigin
        self.sendToApp = sendToApp
        self.curl = curl
        self.observed = observed
    }

    public func cookie(_ name: String) -> String? { jar.withLock { $0[name] } }
    public var cookieNames: [String] { jar.withLock { $0.keys.sorted() } }

    /// Plants (or with nil removes) a cookie, as an attacker or a stale tab would.
    public func setCookie(_ name: String, _ value: String?) { jar.withLock { $0[name] = value } }

    public func get(_ url: String, headers: [(name: String, value: String)] = []) async throws -> Page {
        try await send("GET", url, headers: headers, body: nil)
    }

    public func post(_ url: String, form: [(String, String)]) async throws -> Page {
        let body = Array(FormEncoding.encode(form).utf8)
        return try await send("POST", url, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: body)
    }

    public func send(_ method: String, _ url: String, headers: [(name: String, value: String)], body: [UInt8]?) async throws -> Page {
        observed.noteURL(url)
        let page: Page
        if url.hasPrefix("/") || url.hasPrefix(appOrigin + "/") {
            let path = url.hasPrefix("/") ? url : String(url.dropFirst(appOrigin.count))
            var headers = headers
            let cookieHeader = jar.withLock { $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
            if !cookieHeader.isEmpty { headers.append(("Cookie", cookieHeader)) }
            page = try await sendToApp(method, path, headers, body)
            absorbCookies(page.setCookies)
        } else {
            let response = try await curl.send(CurlRequest(method: method, url: url, headers: headers, body: body, totalTimeout: .seconds(20), maxRedirects: 0))
            page = Page(status: response.status, headers: response.headers, body: String(decoding: response.body, as: UTF8.self))
        }
        observed.note(page)
        return page
    }

    private func absorbCookies(_ lines: [String]) {
        for line in lines {
            let parts = line.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let pair = parts.first, let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]), value = String(pair[pair.index(after: equals)...])
            let expired = parts.dropFirst().contains { $0.lowercased() == "max-age=0" } || value.isEmpty
            observed.noteSecret(value)
            jar.withLock { $0[name] = expired ? nil : value }
        }
    }
}

/// Everything the browsers saw that must never show up in a log line (cookies, codes, states, CSRF tokens),
/// and every page body, to scan for tokens and the client secret.
public final class Observed: Sendable {
    private struct State {
        public var secrets: Set<String> = []
        var pages: [Page] = []
    }
    private let state = Mutex(State())

    public var secrets: Set<String> { state.withLock { $0.secrets } }
    public var pages: [Page] { state.withLock { $0.pages } }

    public func noteSecret(_ value: String) {
        guard value.count >= 16 else { return }
        _ = state.withLock { $0.secrets.insert(value) }
    }

    /// Codes and states travel in URLs: remember their values.
    public func noteURL(_ url: String) {
        guard let query = url.split(separator: "?", maxSplits: 1).dropFirst().first else { return }
        for (name, value) in FormEncoding.decode(String(query)) where ["code", "state", "code_challenge"].contains(name) {
            noteSecret(value)
        }
    }

    public func note(_ page: Page) {
        if let location = page.location { noteURL(location) }
        for match in page.body.matches(of: /name="csrf" value="([^"]+)"/) { noteSecret(String(match.1)) }
        state.withLock { $0.pages.append(page) }
    }
}

/// `application/x-www-form-urlencoded` both ways, as browsers and the app write it.
public enum FormEncoding {
    public static func encode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return pairs.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }

    public static func decode(_ query: String) -> [(String, String)] {
        query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The query of a URL as name → first value.
    public static func query(of url: String) -> [String: String] {
        guard let query = url.split(separator: "?", maxSplits: 1).dropFirst().first else { return [:] }
        return Dictionary(decode(String(query)), uniquingKeysWith: { first, _ in first })
    }
}

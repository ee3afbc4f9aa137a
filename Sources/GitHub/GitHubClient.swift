import Curl
import Foundation

/// The GitHub OAuth web flow and the REST calls the membership gate needs, as named steps.
/// Effects go through `transport`, so tests can point a real CurlClient at the sandbox.
public struct GitHubClient: Sendable {
    public let configuration: GitHubConfiguration
    let transport: CurlTransport
    /// The clock that turns `retry-after` into an absolute time (the app passes its injected one).
    let now: @Sendable () -> Date
    /// The last "wait until" GitHub answered with, for callers that must not ask again before then.
    public let rateLimits: RateLimitHold

    /// Fails with `.invalidConfiguration` when a base URL, the redirect URI or a credential is unusable.
    public init(configuration: GitHubConfiguration, now: @escaping @Sendable () -> Date = { Date() },
                transport: @escaping CurlTransport) throws(GitHubError) {
        try configuration.validate()
        self.configuration = configuration
        self.transport = transport
        self.now = now
        self.rateLimits = RateLimitHold()
    }

    /// The live client over libcurl.
    public static func live(configuration: GitHubConfiguration, curl: CurlClient,
                            now: @escaping @Sendable () -> Date = { Date() }) throws(GitHubError) -> GitHubClient {
        try GitHubClient(configuration: configuration, now: now) { (request: CurlRequest) async throws(CurlError) -> CurlResponse in
            try await curl.send(request)
        }
    }

    /// While GitHub's last rate-limit answer still holds: the time it named.
    public func rateLimitedUntil(now: Date) -> Date? {
        rateLimits.activeUntil(now: now)
    }

    /// Sends one request; transport failures become `.transport`, and a rate-limit answer from any endpoint
    /// becomes `.rateLimited` (remembered in `rateLimits`), so no step can mistake it for its own refusal.
    func send(_ request: CurlRequest) async throws(GitHubError) -> CurlResponse {
        let response: CurlResponse
        do {
            response = try await transport(request)
        } catch {
            throw .transport(error)
        }
        if let limit = Self.rateLimit(in: response, receivedAt: now()) {
            rateLimits.note(limit)
            throw .rateLimited(limit)
        }
        return response
    }

    /// A REST request with the headers GitHub requires on every call; redirects are never followed.
    func apiRequest(method: String, path: [String], token: String, body: [UInt8]? = nil) -> CurlRequest {
        var headers: [(name: String, value: String)] = [
            ("User-Agent", configuration.userAgent),
            ("Accept", "application/vnd.github+json"),
            ("X-GitHub-Api-Version", "2022-11-28"),
            ("Authorization", "Bearer \(token)"),
        ]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return CurlRequest(
            method: method, url: apiURL(path), headers: headers, body: body,
            totalTimeout: configuration.requestTimeout, maxBodyBytes: 1024 * 1024, maxRedirects: 0)
    }

    /// `{apiURL}` plus percent-encoded path segments: user input can never change the host or add segments.
    func apiURL(_ segments: [String]) -> String {
        configuration.apiURL + segments.map(PercentEncoding.encodeSegment).joined(separator: "/")
    }

    /// GitHub's two rate-limit answers (spec §3): 403 or 429 with `retry-after` (a secondary limit), or with
    /// `x-ratelimit-remaining: 0` (the primary quota, `x-ratelimit-reset` saying when it refills). A 429 is
    /// "too many requests" whatever its headers. Any other 403 (an org's restrictions, a missing scope) is not
    /// a rate limit. Header values that are not plain non-negative integers count as absent.
    static func rateLimit(in response: CurlResponse, receivedAt: Date) -> RateLimit? {
        guard response.status == 403 || response.status == 429 else { return nil }
        let retryAfter = response.header("retry-after").flatMap(headerInteger)
        let exhausted = response.header("x-ratelimit-remaining").flatMap(headerInteger) == 0
        let reset = response.header("x-ratelimit-reset").flatMap(headerInteger).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        guard retryAfter != nil || exhausted || response.status == 429 else { return nil }
        return RateLimit(retryAfter: retryAfter, resetAt: exhausted ? reset : nil, receivedAt: receivedAt)
    }

    /// ASCII digits only (no sign, fraction, exponent, `nan`), at most 12 of them: an epoch second or a wait
    /// in seconds; anything longer is not an honest header.
    private static func headerInteger(_ text: String) -> Int? {
        let digits = text.trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, digits.utf8.count <= 12, digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        return Int(digits)
    }
}

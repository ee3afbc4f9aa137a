import Curl
import Foundation

/// The GitHub OAuth web flow and the REST calls the membership gate needs, as named steps.
/// Effects go through `transport`, so tests can point a real CurlClient at the sandbox.
public struct GitHubClient: Sendable {
    public let configuration: GitHubConfiguration
    let transport: CurlTransport

    /// Fails with `.invalidConfiguration` when a base URL, the redirect URI or a credential is unusable.
    public init(configuration: GitHubConfiguration, transport: @escaping CurlTransport) throws(GitHubError) {
        try configuration.validate()
        self.configuration = configuration
        self.transport = transport
    }

    /// The live client over libcurl.
    public static func live(configuration: GitHubConfiguration, curl: CurlClient) throws(GitHubError) -> GitHubClient {
        try GitHubClient(configuration: configuration) { (request: CurlRequest) async throws(CurlError) -> CurlResponse in
            try await curl.send(request)
        }
    }

    /// Sends one request; transport failures become `.transport`.
    func send(_ request: CurlRequest) async throws(GitHubError) -> CurlResponse {
        do {
            return try await transport(request)
        } catch {
            throw .transport(error)
        }
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

    /// 403/429 that carries `x-ratelimit-remaining: 0` or `retry-after`; a bare 429 counts too.
    static func rateLimit(in response: CurlResponse) -> RateLimit? {
        guard response.status == 403 || response.status == 429 else { return nil }
        let retryAfter = response.header("retry-after").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let exhausted = response.header("x-ratelimit-remaining")?.trimmingCharacters(in: .whitespaces) == "0"
        guard exhausted || retryAfter != nil || response.status == 429 else { return nil }
        let reset = response.header("x-ratelimit-reset")
            .flatMap { TimeInterval($0.trimmingCharacters(in: .whitespaces)) }
            .map { Date(timeIntervalSince1970: $0) }
        return RateLimit(retryAfter: retryAfter, resetAt: reset)
    }
}

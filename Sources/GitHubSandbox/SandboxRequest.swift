import Foundation

/// Which sandbox endpoint a request reached.
public enum SandboxEndpoint: String, Sendable, Equatable {
    case authorizePage, authorizeDecision, accessToken
    /// The web pages' stylesheet.
    case stylesheet
    case user, userByLogin, orgMembership, orgMember, publicMember, teamMembership
    case revokeGrant, revokeToken, checkToken
    case notFound
}

/// One logged request. Holds no query string, body, token, code or secret.
public struct SandboxRequest: Sendable, Equatable {
    public var method: String
    /// Path without the query string.
    public var path: String
    public var endpoint: SandboxEndpoint
    public var time: Date
    public var userAgent: String?
    public var accept: String?
    public var apiVersion: String?
    /// `Bearer`, `token` or `Basic`; never the credential itself.
    public var authorizationScheme: String?
    /// Status the sandbox answered with.
    public var status: Int
}

/// How GitHub answers while it rate-limits the caller (`GitHubSandbox.limitRequests(_:)`).
public enum SandboxRateLimit: Sendable, Equatable {
    /// The hourly quota is spent: `status` (GitHub sends 403, sometimes 429) with `x-ratelimit-remaining: 0` and
    /// `x-ratelimit-reset` naming `resetAt`.
    case primary(status: Int = 403, resetAt: Date)
    /// A secondary limit (too many requests too fast): `status` 403 or 429 with `retry-after` in seconds.
    case secondary(status: Int = 403, retryAfter: Int)
}

/// A canned answer for the next API or token requests (failure injection).
public struct InjectedResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    public var body: String

    public init(status: Int, headers: [String: String] = [:], body: String = "") {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func serverError(_ status: Int = 503) -> InjectedResponse {
        InjectedResponse(status: status, headers: ["Content-Type": "text/html"], body: "<h1>Unicorn!</h1>")
    }

    /// A secondary rate limit: 429 (or 403) with `retry-after` and `x-ratelimit-remaining: 0`.
    public static func rateLimited(status: Int = 429, retryAfter: Int = 60) -> InjectedResponse {
        InjectedResponse(
            status: status, headers: ["Retry-After": String(retryAfter), "X-RateLimit-Remaining": "0", "Content-Type": "application/json; charset=utf-8"],
            body: #"{"message":"API rate limit exceeded","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api","status":"\#(status)"}"#)
    }

    public static func redirect(to location: String) -> InjectedResponse {
        InjectedResponse(status: 302, headers: ["Location": location])
    }
}

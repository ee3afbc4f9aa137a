import Curl
import Foundation

/// Which GitHub call failed; names a step, never a URL with parameters.
public enum GitHubEndpoint: String, Sendable, Equatable {
    case accessToken = "token endpoint"
    case user = "GET /user"
    case orgMembership = "org membership check"
    case teamMembership = "team membership check"
    case revocation = "token revocation"
    case users = "GET /users/{login}"
}

/// What GitHub's rate limiter said, and when asking again is allowed.
public struct RateLimit: Sendable, Equatable {
    /// Seconds from the `retry-after` header.
    public var retryAfter: Int?
    /// From `x-ratelimit-reset` (epoch seconds).
    public var resetAt: Date?
    /// When to ask again, on the clock that received the answer: receipt + `retry-after`, else the reset, else
    /// one minute (GitHub's advice when it names no time). Never before receipt, never more than an hour after
    /// it, so an absurd header cannot lock the app out for long.
    public var until: Date

    /// Used when GitHub names no time, or a reset that has already passed (clock skew).
    public static let defaultWait: TimeInterval = 60
    /// GitHub's primary window is an hour: no honest answer asks for longer.
    public static let longestWait: TimeInterval = 3600

    public init(retryAfter: Int? = nil, resetAt: Date? = nil, receivedAt: Date) {
        self.retryAfter = retryAfter
        self.resetAt = resetAt
        let wait: TimeInterval
        if let retryAfter {
            wait = TimeInterval(max(0, retryAfter))
        } else if let resetAt, resetAt > receivedAt {
            wait = resetAt.timeIntervalSince(receivedAt)
        } else {
            wait = Self.defaultWait
        }
        until = receivedAt.addingTimeInterval(min(wait, Self.longestWait))
    }
}

/// Why a GitHub call failed. Descriptions never contain a token, code, verifier, secret or server-supplied prose.
public enum GitHubError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The token endpoint answered HTTP 200 with `error=<code>` (e.g. `bad_verification_code`). The code is sanitized.
    case oauth(code: String)
    /// GitHub could not be reached or the transfer broke (DNS, connect, TLS, timeout, size limit).
    case transport(CurlError)
    /// An HTTP status the step does not expect.
    case unexpectedStatus(Int, endpoint: GitHubEndpoint)
    /// The body was not the JSON the step expects.
    case malformedResponse(endpoint: GitHubEndpoint, detail: String)
    /// The token response had no `access_token`.
    case missingAccessToken
    /// The token response's `token_type` was not `bearer` (sanitized).
    case unsupportedTokenType(String)
    /// HTTP 401 on the REST API: the user's token is revoked or expired; end the session.
    case badCredentials
    /// HTTP 401 on `/applications/{client_id}/…`: the client secret is wrong or rotated.
    case clientCredentialsRejected
    /// 403/429 with `x-ratelimit-remaining: 0` or `retry-after`.
    case rateLimited(RateLimit)
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .oauth(let code):
            "GitHub refused the sign-in (\(code))" + (Self.oauthAdvice[code].map { ": \($0)" } ?? "")
        case .transport(let error):
            "could not reach GitHub: \(error)"
        case .unexpectedStatus(let status, let endpoint):
            "GitHub answered HTTP \(status) to the \(endpoint.rawValue)"
        case .malformedResponse(let endpoint, let detail):
            "GitHub's answer to the \(endpoint.rawValue) could not be read: \(detail)"
        case .missingAccessToken:
            "GitHub's token response had no access_token"
        case .unsupportedTokenType(let type):
            "GitHub issued a token of type '\(type)', expected bearer"
        case .badCredentials:
            "GitHub rejected the access token (revoked or expired); sign in again"
        case .clientCredentialsRejected:
            "GitHub rejected the OAuth client_id/client_secret; check the app configuration"
        case .rateLimited(let limit):
            "GitHub rate limit reached; retry after \(limit.until.formatted(.iso8601))"
        case .invalidConfiguration(let detail):
            "invalid GitHub configuration: \(detail)"
        }
    }

    private static let oauthAdvice: [String: String] = [
        "bad_verification_code": "the code is wrong, expired or already used; sign in again",
        "incorrect_client_credentials": "check the client_id and client_secret",
        "redirect_uri_mismatch": "the redirect URI does not match the app's registered callback URL",
        "unverified_user_email": "the GitHub account needs a verified primary email",
    ]

    /// OAuth error codes GitHub documents; anything else is reported as `unrecognized_error`, so
    /// server-supplied text (which could echo a token or markup) never reaches a message.
    static let knownOAuthCodes: Set<String> = [
        "bad_verification_code", "incorrect_client_credentials", "redirect_uri_mismatch", "unverified_user_email",
        "bad_refresh_token", "unsupported_grant_type", "authorization_pending", "slow_down", "expired_token",
        "incorrect_device_code", "access_denied", "device_flow_disabled", "application_suspended",
        "invalid_request", "invalid_grant", "invalid_client", "invalid_scope", "unauthorized_client",
    ]

    /// A documented OAuth error code as is, anything else as `unrecognized_error`: safe to log or show.
    public static func sanitizedCode(_ raw: String) -> String {
        knownOAuthCodes.contains(raw) ? raw : "unrecognized_error"
    }
}

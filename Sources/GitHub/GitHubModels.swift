import Foundation

/// An OAuth access token. Its description hides the token so it cannot leak into logs.
public struct AccessToken: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var token: String
    /// Granted scopes (may be fewer than requested); GitHub sends them comma-separated.
    public var scopes: [String]
    public var tokenType: String
    /// Seconds until the access token expires; nil when the app's tokens do not expire.
    public var expiresIn: Int?
    /// A `ghr_` token for `GitHubClient.refresh`; store apart from the access token. Nil when tokens do not expire.
    public var refreshToken: String?
    public var refreshTokenExpiresIn: Int?

    public init(token: String, scopes: [String], tokenType: String = "bearer", expiresIn: Int? = nil,
                refreshToken: String? = nil, refreshTokenExpiresIn: Int? = nil) {
        self.token = token
        self.scopes = scopes
        self.tokenType = tokenType
        self.expiresIn = expiresIn
        self.refreshToken = refreshToken
        self.refreshTokenExpiresIn = refreshTokenExpiresIn
    }

    /// Whether the granted scopes cover `scope`, counting GitHub's implied scopes (`admin:org` ⊃ `write:org` ⊃ `read:org`, `user` ⊃ `read:user`, `user:email`).
    public func grants(_ scope: String) -> Bool {
        scopes.contains { $0 == scope || Self.impliedScopes[$0, default: []].contains(scope) }
    }

    static let impliedScopes: [String: Set<String>] = [
        "admin:org": ["write:org", "read:org"],
        "write:org": ["read:org"],
        "user": ["read:user", "user:email", "user:follow"],
        "repo": ["repo:status", "repo_deployment", "public_repo", "repo:invite", "security_events"],
        "admin:public_key": ["write:public_key", "read:public_key"],
        "write:public_key": ["read:public_key"],
        "admin:repo_hook": ["write:repo_hook", "read:repo_hook"],
        "write:repo_hook": ["read:repo_hook"],
        "admin:gpg_key": ["write:gpg_key", "read:gpg_key"],
        "write:gpg_key": ["read:gpg_key"],
    ]

    public var description: String {
        "AccessToken(<redacted>, scopes: \(scopes), type: \(tokenType)"
            + (expiresIn.map { ", expiresIn: \($0)" } ?? "") + (refreshToken == nil ? ")" : ", refreshToken: <redacted>)")
    }
    public var debugDescription: String { description }
}

/// The signed-in GitHub account. Bind local accounts to `id`; `login` can be renamed.
public struct GitHubUser: Sendable, Equatable, Decodable {
    public var id: Int64
    public var login: String
    public var name: String?
    public var avatarURL: String?

    public init(id: Int64, login: String, name: String? = nil, avatarURL: String? = nil) {
        self.id = id
        self.login = login
        self.name = name
        self.avatarURL = avatarURL
    }

    enum CodingKeys: String, CodingKey {
        case id, login, name
        case avatarURL = "avatar_url"
    }
}

/// The outcome of an org or team membership check. Only `.active` admits; everything else denies (fail closed).
public enum MembershipResult: Sendable, Equatable {
    case active(role: String)
    /// Invited but not accepted.
    case pending
    /// 404, or a 302 towards `public_members` (never followed).
    case notMember
    /// 403: the org has OAuth App access restrictions; the user must ask an owner to approve the app.
    case restricted
    /// 403 with `X-GitHub-SSO: required`: the token is not authorized for the org's SAML SSO.
    case samlRequired
    /// Any other 403 (e.g. missing `read:org` scope, or too many bad-credential attempts).
    case forbidden
    /// 401: the token is revoked or expired; end the session.
    case badCredentials
    case rateLimited(RateLimit)
    /// 5xx, timeouts, transport failures, unexpected statuses, unreadable bodies.
    case unavailable(reason: String)

    /// True only for an active membership.
    public var admits: Bool {
        if case .active = self { true } else { false }
    }
}

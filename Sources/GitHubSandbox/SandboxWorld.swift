import Foundation

/// A GitHub account in the sandbox.
public struct SandboxUser: Sendable, Equatable {
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
}

/// Org membership state as GitHub reports it.
public enum SandboxMembershipState: String, Sendable, Equatable {
    case active, pending
}

public struct SandboxMembership: Sendable, Equatable {
    public var state: SandboxMembershipState
    /// `member` / `admin` for orgs, `member` / `maintainer` for teams.
    public var role: String

    public init(state: SandboxMembershipState, role: String = "member") {
        self.state = state
        self.role = role
    }
}

/// An organization; members are keyed by user id so renames keep memberships.
public struct SandboxOrg: Sendable, Equatable {
    public var id: Int64
    public var login: String
    public var members: [Int64: SandboxMembership]
    /// OAuth App access restrictions: membership calls answer 403 with GitHub's restriction message.
    public var restricted: Bool
    /// SAML SSO enforcement: membership calls answer 403 with `X-GitHub-SSO: required`.
    public var samlRequired: Bool
    /// Teams by slug (lowercase).
    public var teams: [String: [Int64: SandboxMembership]]

    public init(id: Int64, login: String, members: [Int64: SandboxMembership] = [:], restricted: Bool = false,
                samlRequired: Bool = false, teams: [String: [Int64: SandboxMembership]] = [:]) {
        self.id = id
        self.login = login
        self.members = members
        self.restricted = restricted
        self.samlRequired = samlRequired
        self.teams = teams
    }
}

/// How the authorize endpoint matches `redirect_uri` against the registered callback (spec §1).
public enum RedirectMode: Sendable, Equatable {
    /// Byte-for-byte equality (GitHub Apps, multi-URI OAuth Apps).
    case exact
    /// Legacy single callback: same host (subdomains allowed) and port, path equal or below; any port on loopback.
    case legacyPrefix
}

/// A registered OAuth App.
public struct SandboxOAuthApp: Sendable, Equatable {
    public var clientID: String
    public var clientSecret: String
    public var callbackURL: String
    public var redirectMode: RedirectMode
    /// What the consent screen calls the app (its client id when nil).
    public var name: String?

    public init(clientID: String, clientSecret: String, callbackURL: String, redirectMode: RedirectMode = .exact, name: String? = nil) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.callbackURL = callbackURL
        self.redirectMode = redirectMode
        self.name = name
    }
}

/// Everything the sandbox knows at start; mutate it later through `GitHubSandbox`'s methods.
public struct SandboxWorld: Sendable {
    public var users: [SandboxUser]
    public var orgs: [SandboxOrg]
    public var apps: [SandboxOAuthApp]

    public init(users: [SandboxUser] = [], orgs: [SandboxOrg] = [], apps: [SandboxOAuthApp] = []) {
        self.users = users
        self.orgs = orgs
        self.apps = apps
    }
}

import Foundation

/// An authorization code waiting to be exchanged.
struct IssuedCode {
    var clientID: String
    var redirectURI: String?
    var userID: Int64
    var scopes: [String]
    var codeChallenge: String?
    var issuedAt: Date
}

/// A pending authorize request, shown as the sign-in page and completed by its POST.
struct PendingAuthorization {
    var clientID: String
    var redirectURI: String
    var explicitRedirectURI: Bool
    var scopes: [String]
    var state: String?
    var codeChallenge: String?
}

struct IssuedToken {
    var userID: Int64
    var clientID: String
    var scopes: [String]
    /// Set in expiring-token mode (8 h).
    var expiresAt: Date?
}

/// A `ghr_` refresh token (expiring mode); using it rotates the pair.
struct IssuedRefreshToken {
    var accessToken: String
    var userID: Int64
    var clientID: String
    var scopes: [String]
    var expiresAt: Date
}

struct GrantKey: Hashable {
    var userID: Int64
    var clientID: String
}

/// All mutable sandbox data, guarded by one mutex.
struct SandboxState {
    var users: [Int64: SandboxUser] = [:]
    /// Keyed by lowercased login: org names compare case-insensitively.
    var orgs: [String: SandboxOrg] = [:]
    var apps: [String: SandboxOAuthApp] = [:]
    var pending: [String: PendingAuthorization] = [:]
    var codes: [String: IssuedCode] = [:]
    var tokens: [String: IssuedToken] = [:]
    var refreshTokens: [String: IssuedRefreshToken] = [:]
    var expiringTokens = false
    var grants: [GrantKey: Set<String>] = [:]
    var requests: [SandboxRequest] = []
    var apiCallsThisHour: [String: Int] = [:]
    var origin: String?
    var clockOffset: TimeInterval = 0
    var grantedScopesOverride: [String]?
    var redirectMismatchRedirects = false
    var signedInUserID: Int64?
    var injectedTokenResponses: [InjectedResponse] = []
    var injectedAPIResponses: [InjectedResponse] = []
    var requestLimit: SandboxRateLimit?
    var latency: Duration = .zero

    init(world: SandboxWorld) {
        for user in world.users { users[user.id] = user }
        for org in world.orgs { orgs[org.login.lowercased()] = org }
        for app in world.apps { apps[app.clientID] = app }
    }

    func userID(login: String) -> Int64? {
        users.values.first { $0.login.caseInsensitiveCompare(login) == .orderedSame }?.id
    }

    func orgKey(_ org: String) -> String? {
        orgs[org.lowercased()] != nil ? org.lowercased() : nil
    }
}

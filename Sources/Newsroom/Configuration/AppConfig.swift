import Foundation

/// Everything `newsroom serve` needs, resolved from flags and the environment and validated once.
public struct AppConfig: Sendable {
    public struct GitHubSettings: Sendable, Equatable {
        public var clientID: String
        public var clientSecret: String
        /// OAuth base, ends with "/" (`https://github.com/login/oauth/`).
        public var authURL: String
        /// REST base, ends with "/" (`https://api.github.com/`).
        public var apiURL: String
        public var usePKCE: Bool

        public init(clientID: String, clientSecret: String, authURL: String, apiURL: String, usePKCE: Bool = true) {
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.authURL = authURL
            self.apiURL = apiURL
            self.usePKCE = usePKCE
        }
    }

    public var host: String
    /// 0: any free port, chosen when the server binds.
    public var port: Int
    /// The URL people type; the OAuth callback is derived from it and nothing else.
    public var publicURL: String
    /// True when the public URL was derived from host and port and the port is 0: it is only known once the
    /// server listens (`listening(on:)` fills it in).
    public var publicURLFollowsBoundPort: Bool
    public var databasePath: String
    public var feedsPath: String
    public var insecureTransport: Bool
    /// nil when the sandbox stands in for GitHub (it fills these in once it runs).
    public var github: GitHubSettings?
    public var useSandbox: Bool
    public var gate: GateRules
    public var secretKey: [UInt8]
    public var membershipTTL: Duration
    public var idleTimeout: Duration
    public var absoluteTimeout: Duration
    public var revokeOnLogout: Bool
    public var resourcesPath: String

    /// Where GitHub sends the browser back to; the OAuth app must be registered with exactly this URL.
    public static let callbackPath = "/login/github/authorized"
    public var callbackURL: String { publicURL + Self.callbackPath }

    /// `http://HOST:PORT`, the public URL when none is configured (local use, with insecure transport).
    static func derivedPublicURL(host: String, port: Int) -> String {
        "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// This configuration once the server listens on `port`: a public URL that followed port 0 now names it.
    public func listening(on port: Int) -> AppConfig {
        var config = self
        config.port = port
        if publicURLFollowsBoundPort {
            config.publicURL = Self.derivedPublicURL(host: host, port: port)
            config.publicURLFollowsBoundPort = false
        }
        return config
    }

    public var cookiesAreSecure: Bool { !insecureTransport }

    public init(host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil, databasePath: String = "newsroom.sqlite",
                feedsPath: String = "feeds.json", insecureTransport: Bool = false, github: GitHubSettings? = nil,
                useSandbox: Bool = false, gate: GateRules, secretKey: [UInt8], membershipTTL: Duration = .seconds(600),
                idleTimeout: Duration = .seconds(24 * 3600), absoluteTimeout: Duration = .seconds(7 * 24 * 3600),
                revokeOnLogout: Bool = false, resourcesPath: String = "Resources") {
        self.host = host
        self.port = port
        self.publicURL = publicURL ?? Self.derivedPublicURL(host: host, port: port)
        self.publicURLFollowsBoundPort = publicURL == nil && port == 0
        self.databasePath = databasePath
        self.feedsPath = feedsPath
        self.insecureTransport = insecureTransport
        self.github = github
        self.useSandbox = useSandbox
        self.gate = gate
        self.secretKey = secretKey
        self.membershipTTL = membershipTTL
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
        self.revokeOnLogout = revokeOnLogout
        self.resourcesPath = resourcesPath
    }
}

/// Who may sign in. A user passes if any configured rule admits them.
public struct GateRules: Sendable, Equatable {
    public var org: String?
    /// `(org, slug)` pairs from `GITHUB_TEAMS=org/slug,…`.
    public var teams: [TeamRef]
    /// Logins, compared case-insensitively.
    public var users: [String]
    public var allowAnyUser: Bool

    public struct TeamRef: Sendable, Equatable, CustomStringConvertible {
        public var org: String
        public var slug: String
        public init(org: String, slug: String) { self.org = org; self.slug = slug }
        public var description: String { "\(org)/\(slug)" }
    }

    public init(org: String? = nil, teams: [TeamRef] = [], users: [String] = [], allowAnyUser: Bool = false) {
        self.org = org
        self.teams = teams
        self.users = users
        self.allowAnyUser = allowAnyUser
    }

    public var isEmpty: Bool { org == nil && teams.isEmpty && users.isEmpty && !allowAnyUser }
    /// `read:org` is asked only when a rule needs it.
    public var scopes: [String] { (org != nil || !teams.isEmpty) ? ["read:org"] : [] }

    /// "members of acme", "members of acme/editors or octocat", … for the sign-in page.
    public var summary: String {
        if allowAnyUser { return "anyone with a GitHub account" }
        var parts: [String] = []
        if let org { parts.append("members of \(org)") }
        if !teams.isEmpty { parts.append("members of " + teams.map(\.description).joined(separator: ", ")) }
        if !users.isEmpty { parts.append(users.joined(separator: ", ")) }
        return parts.joined(separator: " or ")
    }
}

import Foundation
import Curl
import Storage

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
    /// An SQLite file path or a PostgreSQL URL, as given (see `database`).
    public var databasePath: String
    /// `databasePath` for the banner: never a password, even of a URL `ConfigResolver` would have refused.
    public var databaseDescription: String { (try? DatabaseLocation(databasePath))?.description ?? "(an invalid database URL)" }
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
    /// What sign-out revokes at GitHub, if anything.
    public var revokeOnLogout: LogoutRevocation?
    /// Proxies (besides loopback) whose `X-Forwarded-For` names the client, for per-client limits.
    public var trustedProxies: [NetworkRange] = []
    /// How often one client may start or complete a sign-in.
    public var signInLimits: SignInRateLimiter.Limits = .default
    /// How long an SQLite write waits for another process's lock (on GRDB's writer queue, not a cooperative
    /// thread). Requests give up sooner anyway (`StoreLimits.requestWait`); this bounds the refresher's wait.
    public var databaseBusyTimeout: TimeInterval = SQLiteStore.busyTimeout
    /// How long a request waits for the database before it is answered 503 with `Retry-After`. Tests on a loaded
    /// machine lengthen it; the test that holds a lock on purpose keeps the default.
    public var databaseRequestWait: Duration = StoreLimits.requestWait
    public var resourcesPath: String
    /// How long a connection may take to send a whole request (head and body), or sit idle between requests,
    /// before the server closes it. Not the session's `idleTimeout`: this one is about sockets.
    public var connectionTimeout: Duration
    /// Connections served at once; past it the server stops accepting until one closes (the kernel queues the rest).
    public var maxConnections: Int
    /// Where `/metrics` is served, on a listener of its own; nil (the default) serves no metrics.
    public var metricsAddress: MetricsAddress? = nil

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
                revokeOnLogout: LogoutRevocation? = nil, resourcesPath: String = "Resources",
                connectionTimeout: Duration = .seconds(ConnectionSettings.defaultTimeoutSeconds),
                maxConnections: Int = ConnectionSettings.defaultMaxConnections) {
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
        self.connectionTimeout = connectionTimeout
        self.maxConnections = maxConnections
    }
}

/// What sign-out revokes at GitHub (spec §5).
public enum LogoutRevocation: String, Sendable, CaseIterable {
    /// `DELETE /applications/{client_id}/token`: this sign-in's token only; the member's other sessions and the
    /// app's authorization stay.
    case token
    /// `DELETE /applications/{client_id}/grant`: every token of the member for this app, and GitHub asks for consent
    /// again at the next sign-in.
    case grant
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

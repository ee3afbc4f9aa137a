import Foundation
import Curl
import Crypto

/// What the `serve` command line said; nil means "not given" so the environment can fill it in.
public struct ServeOptions: Sendable {
    public var host: String?
    public var port: Int?
    public var publicURL: String?
    public var databasePath: String?
    public var feedsPath: String?
    public var insecureTransport = false
    public var githubSandbox = false
    public var allowAnyGitHubUser = false
    /// `--revoke-on-logout` as typed (`token` when bare); checked with the environment's value, so a typo is refused.
    public var revokeOnLogout: String?
    public var noPKCE = false
    public var membershipTTLSeconds: Int?
    public var resourcesPath: String?
    public var connectionTimeoutSeconds: Int?
    public var maxConnections: Int?
    /// `--metrics-address HOST:PORT` as typed.
    public var metricsAddress: String?
    public init() {}
}

/// Flags win over the environment; names follow DESIGN.md (GITHUB_*, APP_SECRET_KEY, OAUTHLIB_INSECURE_TRANSPORT, NEWSROOM_*).
public enum ConfigResolver {
    public static let minimumSecretKeyBytes = 32

    public static func resolve(_ options: ServeOptions, environment env: [String: String]) throws(ConfigError) -> AppConfig {
        func value(_ name: String) -> String? {
            guard let v = env[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
            return v
        }
        func flag(_ name: String) throws(ConfigError) -> Bool {
            guard let v = value(name) else { return false }
            switch v.lowercased() {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw .notAFlag(variable: name, value: v)
            }
        }
        func seconds(_ flagValue: Int?, _ name: String, default def: Int) throws(ConfigError) -> Duration {
            if let flagValue { guard flagValue > 0 else { throw .notPositiveSeconds(setting: name, value: nil) }; return .seconds(flagValue) }
            guard let v = value(name) else { return .seconds(def) }
            guard let n = Int(v), n > 0 else { throw .notPositiveSeconds(setting: name, value: v) }
            return .seconds(n)
        }

        let host = options.host ?? value("NEWSROOM_HOST") ?? "127.0.0.1"
        let port: Int
        if let p = options.port { port = p } else if let v = value("NEWSROOM_PORT") {
            guard let p = Int(v) else { throw .notAPortNumber(v) }
            port = p
        } else { port = 8080 }
        guard (0...65535).contains(port) else { throw .portOutOfRange(port) }

        let oauthlibInsecure = try flag("OAUTHLIB_INSECURE_TRANSPORT")
        let newsroomInsecure = try flag("NEWSROOM_INSECURE_TRANSPORT")
        let insecure = options.insecureTransport || oauthlibInsecure || newsroomInsecure
        let configuredPublicURL = options.publicURL ?? value("NEWSROOM_PUBLIC_URL")
        let publicURL = try normalizedPublicURL(configuredPublicURL ?? AppConfig.derivedPublicURL(host: host, port: port), insecure: insecure)
        // Secure cookies would be dropped while the URL promises TLS: refuse the mix and name what turned it on.
        if insecure && publicURL.lowercased().hasPrefix("https://") {
            let settings = [(options.insecureTransport, "--insecure-transport"), (oauthlibInsecure, "OAUTHLIB_INSECURE_TRANSPORT"),
                            (newsroomInsecure, "NEWSROOM_INSECURE_TRANSPORT")].filter(\.0).map(\.1)
            throw .insecureTransportWithHTTPSPublicURL(settings: settings)
        }

        let allowAnyFromEnv = try flag("NEWSROOM_ALLOW_ANY_GITHUB_USER")
        let gate = try gateRules(env: env, allowAny: options.allowAnyGitHubUser || allowAnyFromEnv)
        guard !gate.isEmpty else {
            throw .noGate
        }

        let clientID = value("GITHUB_CLIENT_ID")
        let sandboxFromEnv = try flag("NEWSROOM_GITHUB_SANDBOX")
        let wantsSandbox = options.githubSandbox || sandboxFromEnv
        // A secret without its id is a half-configured app (often a misspelt name): say so rather than fall back to the sandbox.
        if clientID == nil && value("GITHUB_CLIENT_SECRET") != nil && !wantsSandbox {
            throw .clientSecretWithoutClientID
        }
        let useSandbox = wantsSandbox || (clientID == nil && insecure && isLoopback(host))
        if useSandbox && !insecure {
            throw .sandboxNeedsInsecureTransport
        }
        var github: AppConfig.GitHubSettings?
        if !useSandbox {
            guard let clientID else { throw .clientIDMissing(callbackURL: publicURL + AppConfig.callbackPath) }
            guard let secret = value("GITHUB_CLIENT_SECRET") else { throw .clientSecretMissing }
            let authURL = try baseURL(value("GITHUB_AUTH_URL") ?? "https://github.com/login/oauth/", name: "GITHUB_AUTH_URL", insecure: insecure)
            let apiURL = try baseURL(value("GITHUB_BASE_URL") ?? "https://api.github.com/", name: "GITHUB_BASE_URL", insecure: insecure)
            let noPKCEFromEnv = try flag("NEWSROOM_GITHUB_NO_PKCE")
            github = .init(clientID: clientID, clientSecret: secret, authURL: authURL, apiURL: apiURL,
                           usePKCE: !(options.noPKCE || noPKCEFromEnv))
        }

        // DATABASE_URL last: the name hosting platforms (and Miniflux) set, overridden by newsroom's own settings.
        let databasePath = options.databasePath ?? value("NEWSROOM_DATABASE") ?? value("DATABASE_URL") ?? "newsroom.sqlite"
        let database = try DatabaseLocation(databasePath)
        let key = try secretKey(env: env, insecure: insecure, database: database)
        let revokeFromEnv = try logoutRevocation(value("NEWSROOM_REVOKE_ON_LOGOUT"), setting: "NEWSROOM_REVOKE_ON_LOGOUT")
        let revokeOnLogout = options.revokeOnLogout == nil ? revokeFromEnv
            : try logoutRevocation(options.revokeOnLogout, setting: "--revoke-on-logout")
        let membershipTTL = try seconds(options.membershipTTLSeconds, "NEWSROOM_MEMBERSHIP_TTL", default: 600)
        let idleTimeout = try seconds(nil, "NEWSROOM_IDLE_TIMEOUT", default: 24 * 3600)
        let absoluteTimeout = try seconds(nil, "NEWSROOM_ABSOLUTE_TIMEOUT", default: 7 * 24 * 3600)
        /// A flag's value, else the variable's, else the default; refused unless a whole number within `allowed`.
        func bounded(_ flagValue: Int?, flag: String, _ name: String, default def: Int, allowed: ClosedRange<Int>,
                     unit: String) throws(ConfigError) -> Int {
            if let flagValue {
                guard allowed.contains(flagValue) else { throw .notInRange(setting: flag, value: String(flagValue), allowed: allowed, unit: unit) }
                return flagValue
            }
            guard let v = value(name) else { return def }
            guard let n = Int(v), allowed.contains(n) else { throw .notInRange(setting: name, value: v, allowed: allowed, unit: unit) }
            return n
        }
        let connectionTimeout = try bounded(options.connectionTimeoutSeconds, flag: "--connection-timeout", "NEWSROOM_CONNECTION_TIMEOUT",
                                            default: ConnectionSettings.defaultTimeoutSeconds,
                                            allowed: ConnectionSettings.allowedTimeoutSeconds, unit: "seconds")
        let maxConnections = try bounded(options.maxConnections, flag: "--max-connections", "NEWSROOM_MAX_CONNECTIONS",
                                         default: ConnectionSettings.defaultMaxConnections,
                                         allowed: ConnectionSettings.allowedMaxConnections, unit: "connections")

        let trustedProxies = try proxyRanges(value("NEWSROOM_TRUSTED_PROXIES"))

        var config = AppConfig(
            // Port 0 and no public URL: the URL follows the port the server binds.
            host: host, port: port, publicURL: configuredPublicURL == nil && port == 0 ? nil : publicURL, databasePath: databasePath,
            feedsPath: options.feedsPath ?? value("NEWSROOM_FEEDS") ?? "feeds.json",
            insecureTransport: insecure, github: github, useSandbox: useSandbox, gate: gate, secretKey: key,
            membershipTTL: membershipTTL, idleTimeout: idleTimeout, absoluteTimeout: absoluteTimeout,
            revokeOnLogout: revokeOnLogout,
            resourcesPath: options.resourcesPath ?? value("NEWSROOM_RESOURCES") ?? "Resources")
        config.trustedProxies = trustedProxies
        config.connectionTimeout = .seconds(connectionTimeout)
        config.maxConnections = maxConnections
        config.metricsAddress = try metricsAddress(flag: options.metricsAddress, environment: value("NEWSROOM_METRICS_ADDRESS"), appPort: port)
        return config
    }

    /// `--metrics-address` (else NEWSROOM_METRICS_ADDRESS) as HOST:PORT, on a port other than the app's: the
    /// scrape endpoint is for the monitoring network, never served beside the pages.
    static func metricsAddress(flag: String?, environment: String?, appPort: Int) throws(ConfigError) -> MetricsAddress? {
        let setting = flag != nil ? "--metrics-address" : "NEWSROOM_METRICS_ADDRESS"
        guard let raw = flag ?? environment else { return nil }
        guard let address = MetricsAddress.parse(raw) else { throw .malformedMetricsAddress(setting: setting, value: raw) }
        if address.port != 0 && address.port == appPort { throw .metricsOnAppPort(setting: setting, port: address.port) }
        return address
    }

    /// `NEWSROOM_REVOKE_ON_LOGOUT`: `token` (or an on value) revokes this sign-in's token, `grant` the whole grant.
    static func logoutRevocation(_ raw: String?, setting: String) throws(ConfigError) -> LogoutRevocation? {
        guard let raw else { return nil }
        switch raw.lowercased() {
        case "1", "true", "yes", "on", "token": return .token
        case "grant": return .grant
        case "0", "false", "no", "off": return nil
        default: throw .notARevocation(setting: setting, value: raw)
        }
    }

    /// `NEWSROOM_TRUSTED_PROXIES=10.0.0.0/8,fd00::/8`: every entry must parse, or the limits would key on the wrong address.
    static func proxyRanges(_ raw: String?) throws(ConfigError) -> [NetworkRange] {
        var ranges: [NetworkRange] = []
        for entry in (raw ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            guard let range = NetworkRange(entry) else { throw .invalidTrustedProxy(entry) }
            ranges.append(range)
        }
        return ranges
    }

    static func gateRules(env: [String: String], allowAny: Bool) throws(ConfigError) -> GateRules {
        func list(_ name: String) -> [String] {
            (env[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let nameChars = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        func isName(_ s: String) -> Bool { !s.isEmpty && s.unicodeScalars.allSatisfy { nameChars.contains($0) && $0.isASCII } }
        func checkName(_ s: String, _ what: String) throws(ConfigError) {
            guard isName(s) else {
                throw .invalidGitHubName(setting: what, name: s)
            }
        }
        let orgs = list("GITHUB_ORG")
        guard orgs.count <= 1 else { throw .moreThanOneOrg }
        if let org = orgs.first { try checkName(org, "GITHUB_ORG") }
        var teams: [GateRules.TeamRef] = []
        for entry in list("GITHUB_TEAMS") {
            let parts = entry.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            // Name the whole entry: "acme/" alone says more than "team slug ''".
            guard parts.count == 2, isName(parts[0]), isName(parts[1]) else {
                throw .invalidTeamEntry(entry)
            }
            teams.append(.init(org: parts[0], slug: parts[1]))
        }
        let users = list("GITHUB_USERS")
        for u in users { try checkName(u, "GITHUB_USERS login") }
        return GateRules(org: orgs.first, teams: teams, users: users, allowAnyUser: allowAny)
    }

    /// Like oauthlib: plain http is refused unless insecure transport was asked for explicitly.
    static func normalizedPublicURL(_ raw: String, insecure: Bool) throws(ConfigError) -> String {
        var s = raw
        while s.hasSuffix("/") { s.removeLast() }
        guard let url = URL(string: s), let scheme = url.scheme?.lowercased(), url.host != nil,
              url.query == nil, url.fragment == nil, url.user == nil, url.password == nil else {
            throw .malformedPublicURL(redactingCredentials(raw))
        }
        guard scheme == "https" || scheme == "http" else { throw .unsupportedPublicURLScheme(scheme) }
        if scheme == "http" && !insecure {
            throw .insecurePublicURL(s)
        }
        return s
    }

    static func baseURL(_ raw: String, name: String, insecure: Bool) throws(ConfigError) -> String {
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), url.host != nil, ["http", "https"].contains(scheme) else {
            throw .malformedBaseURL(setting: name, url: redactingCredentials(raw))
        }
        // Credentials in the URL would go to GitHub with every call; a query or fragment would break every path built on it.
        guard url.user == nil, url.password == nil, url.query == nil, url.fragment == nil else {
            throw .baseURLNotPlain(setting: name, url: redactingCredentials(raw))
        }
        if scheme == "http" && !insecure { throw .insecureBaseURL(setting: name) }
        return raw.hasSuffix("/") ? raw : raw + "/"
    }

    /// APP_SECRET_KEY or APP_SECRET_KEY_FILE, ≥32 bytes. Insecure local use may generate one and keep it (0600) beside the database.
    static func secretKey(env: [String: String], insecure: Bool, database: DatabaseLocation) throws(ConfigError) -> [UInt8] {
        if let k = env["APP_SECRET_KEY"], !k.isEmpty {
            guard k.utf8.count >= minimumSecretKeyBytes else { throw .secretKeyTooShort(minimumBytes: minimumSecretKeyBytes) }
            return Array(k.utf8)
        }
        if let path = env["APP_SECRET_KEY_FILE"], !path.isEmpty {
            guard let data = FileManager.default.contents(atPath: path) else { throw .secretKeyFileUnreadable(path: path) }
            var bytes = Array(data)
            while let last = bytes.last, last == 10 || last == 13 || last == 32 { bytes.removeLast() }
            guard bytes.count >= minimumSecretKeyBytes else { throw .secretKeyFileTooShort(path: path, minimumBytes: minimumSecretKeyBytes) }
            return bytes
        }
        guard insecure else {
            throw .secretKeyMissing(minimumBytes: minimumSecretKeyBytes)
        }
        guard case .sqlite(let databasePath) = database else { throw .secretKeyNeededForPostgres(minimumBytes: minimumSecretKeyBytes) }
        return try LocalKeyFile.loadOrCreate(path: databasePath + ".key")
    }

    /// The URL with any `user:password@` replaced, for error messages.
    static func redactingCredentials(_ raw: String) -> String {
        guard let schemeEnd = raw.range(of: "://") else { return raw }
        let rest = raw[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@") else { return raw }
        return String(raw[..<schemeEnd.upperBound]) + "…@" + String(rest[rest.index(after: at)...])
    }


    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}

/// The generated key for local trial: 32 random bytes, hex, in a 0600 file.
enum LocalKeyFile {
    static func loadOrCreate(path: String) throws(ConfigError) -> [UInt8] {
        if let data = FileManager.default.contents(atPath: path) {
            // A key others can read is no secret: refuse it rather than sign sessions with it.
            if let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber, mode.intValue & 0o077 != 0 {
                throw .localKeyFileReadableByOthers(path: path)
            }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.utf8.count >= ConfigResolver.minimumSecretKeyBytes else { throw .localKeyFileTooShort(path: path) }
            return Array(text.utf8)
        }
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        let hex = key.map { String(format: "%02x", $0) }.joined()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw .localKeyFileNotCreated(path: path, errno: errno) }
        defer { close(fd) }
        let written = hex.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, hex.utf8.count) }
        guard written == hex.utf8.count else { throw .localKeyFileNotWritten(path: path) }
        return Array(hex.utf8)
    }
}

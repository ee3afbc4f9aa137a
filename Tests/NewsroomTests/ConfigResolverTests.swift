import Foundation
import Testing
@testable import Newsroom

/// ConfigResolver: flags + environment → AppConfig, failing closed with messages that say what to change.
@Suite struct ConfigResolverTests {
    static let secretKey = "k3y-0f-the-app-7f9d2c1e8b4a6f0d3c5e7a9b1d2f4e6a8c0b"
    static let clientSecret = "cl1ent-s3cret-5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e"

    /// A production-like setup that resolves: https, a real OAuth app, an org gate, a key.
    static let production: [String: String] = [
        "GITHUB_CLIENT_ID": "Iv1.0123456789abcdef",
        "GITHUB_CLIENT_SECRET": clientSecret,
        "GITHUB_ORG": "acme",
        "APP_SECRET_KEY": secretKey,
        "NEWSROOM_PUBLIC_URL": "https://news.example.com",
    ]

    static func env(_ changes: [String: String?]) -> [String: String] {
        var env = production
        for (name, value) in changes { env[name] = value }
        return env
    }

    /// Resolves expecting a ConfigError, and checks the one rule every error shares: no secret in the message.
    @discardableResult
    static func refusal(_ env: [String: String], options: ServeOptions = ServeOptions(),
                        sourceLocation: SourceLocation = #_sourceLocation) -> ConfigError? {
        let error = #expect(throws: ConfigError.self, sourceLocation: sourceLocation) { try ConfigResolver.resolve(options, environment: env) }
        let message = error?.description ?? ""
        for secret in [secretKey, clientSecret, env["APP_SECRET_KEY"], env["GITHUB_CLIENT_SECRET"]].compactMap({ $0 }) where !secret.isEmpty {
            #expect(!message.contains(secret), "the message repeats a secret: \(message)", sourceLocation: sourceLocation)
        }
        return error
    }

    /// The refusal's message, for tests about its wording.
    @discardableResult
    static func refused(_ env: [String: String], options: ServeOptions = ServeOptions(),
                        sourceLocation: SourceLocation = #_sourceLocation) -> String {
        refusal(env, options: options, sourceLocation: sourceLocation)?.description ?? ""
    }

    static func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Port 0 binds any free port; a public URL derived from it can only be known then, so it follows the bind.
    @Test func portZeroWithoutAPublicURLFollowsTheBoundPort() throws {
        var options = ServeOptions()
        options.port = 0
        options.insecureTransport = true
        options.host = "::1"
        let env = Self.env(["NEWSROOM_PUBLIC_URL": nil])
        let config = try ConfigResolver.resolve(options, environment: env)
        #expect(config.publicURLFollowsBoundPort)
        let bound = config.listening(on: 43_210)
        #expect(bound.port == 43_210)
        #expect(bound.publicURL == "http://[::1]:43210")
        #expect(bound.callbackURL == "http://[::1]:43210/login/github/authorized")
        #expect(!bound.publicURLFollowsBoundPort)

        // A configured public URL (behind a proxy, say) stays what it says, whatever port the server binds.
        var behindTLS = ServeOptions()
        behindTLS.port = 0
        let proxied = try ConfigResolver.resolve(behindTLS, environment: Self.production)
        #expect(!proxied.publicURLFollowsBoundPort)
        #expect(proxied.listening(on: 43_210).publicURL == "https://news.example.com")
        // A fixed port's URL never changes.
        options.port = 8080
        let fixed = try ConfigResolver.resolve(options, environment: env)
        #expect(fixed.publicURL == "http://[::1]:8080" && !fixed.publicURLFollowsBoundPort)
        #expect(fixed.listening(on: 8080).publicURL == "http://[::1]:8080")
    }

    /// Insecure transport strips Secure from cookies; with an https public URL that is a half-secure server.
    @Test func insecureTransportWithAnHTTPSPublicURLIsRefusedNamingTheSetting() {
        var options = ServeOptions()
        options.insecureTransport = true
        #expect(Self.refusal(Self.production, options: options) == .insecureTransportWithHTTPSPublicURL(settings: ["--insecure-transport"]))
        let both = Self.refusal(Self.env(["OAUTHLIB_INSECURE_TRANSPORT": "1", "NEWSROOM_INSECURE_TRANSPORT": "1"]))
        #expect(both == .insecureTransportWithHTTPSPublicURL(settings: ["OAUTHLIB_INSECURE_TRANSPORT", "NEWSROOM_INSECURE_TRANSPORT"]))
        let message = both?.description ?? ""
        #expect(message.contains("drop them") && message.contains("OAUTHLIB_INSECURE_TRANSPORT"), "\(message)")
    }

    @Test func productionSetupResolves() throws {
        let config = try ConfigResolver.resolve(ServeOptions(), environment: Self.production)
        #expect(config.publicURL == "https://news.example.com")
        #expect(config.callbackURL == "https://news.example.com/login/github/authorized")
        #expect(config.insecureTransport == false)
        #expect(config.cookiesAreSecure)
        #expect(config.useSandbox == false)
        #expect(config.github == .init(clientID: "Iv1.0123456789abcdef", clientSecret: Self.clientSecret,
                                        authURL: "https://github.com/login/oauth/", apiURL: "https://api.github.com/", usePKCE: true))
        #expect(config.gate == GateRules(org: "acme"))
        #expect(config.secretKey == Array(Self.secretKey.utf8))
        #expect(config.membershipTTL == .seconds(600))
    }

    @Test func noGateIsRefusedWithHowToConfigureOne() {
        let error = Self.refusal(Self.env(["GITHUB_ORG": nil]))
        #expect(error == .noGate)
        let message = error?.description ?? ""
        for hint in ["GITHUB_ORG", "GITHUB_TEAMS", "GITHUB_USERS", "--allow-any-github-user"] {
            #expect(message.contains(hint), "\(message)")
        }
    }

    @Test func allowAnyGitHubUserIsAGate() throws {
        var options = ServeOptions()
        options.allowAnyGitHubUser = true
        #expect(try ConfigResolver.resolve(options, environment: Self.env(["GITHUB_ORG": nil])).gate == GateRules(allowAnyUser: true))
        let fromEnv = try ConfigResolver.resolve(ServeOptions(), environment: Self.env(["GITHUB_ORG": nil, "NEWSROOM_ALLOW_ANY_GITHUB_USER": "1"]))
        #expect(fromEnv.gate.allowAnyUser)
        #expect(fromEnv.gate.scopes.isEmpty)
    }

    @Test func orgTeamsAndUsersAreParsed() throws {
        let config = try ConfigResolver.resolve(ServeOptions(), environment: Self.env([
            "GITHUB_ORG": " acme ", "GITHUB_TEAMS": "acme/editors, Other-Org/night_desk,", "GITHUB_USERS": "octocat, hubot",
        ]))
        #expect(config.gate.org == "acme")
        #expect(config.gate.teams == [.init(org: "acme", slug: "editors"), .init(org: "Other-Org", slug: "night_desk")])
        #expect(config.gate.users == ["octocat", "hubot"])
        #expect(config.gate.scopes == ["read:org"])
        let usersOnly = try ConfigResolver.resolve(ServeOptions(), environment: Self.env(["GITHUB_ORG": nil, "GITHUB_USERS": "octocat"]))
        #expect(usersOnly.gate == GateRules(users: ["octocat"]))
        #expect(usersOnly.gate.scopes.isEmpty)
    }

    @Test(arguments: [
        ("GITHUB_TEAMS", "acme/", "acme/"),
        ("GITHUB_TEAMS", "a/b/c", "a/b/c"),
        ("GITHUB_TEAMS", "/editors", "/editors"),
        ("GITHUB_TEAMS", "acme", "acme"),
        ("GITHUB_TEAMS", "acme/bad slug", "bad slug"),
        ("GITHUB_USERS", "bad name!", "bad name!"),
        ("GITHUB_USERS", "octo<script>", "octo<script>"),
        ("GITHUB_ORG", "bad name!", "bad name!"),
        ("GITHUB_ORG", "acme,other", "GITHUB_TEAMS"),
        ("GITHUB_ORG", "ácme", "ácme"),
    ])
    func malformedGateEntriesAreRefusedByName(name: String, value: String, quoted: String) {
        let message = Self.refused(Self.env([name: value]))
        #expect(message.contains(name), "\(message)")
        #expect(message.contains(quoted), "\(message)")
    }

    @Test func plainHTTPPublicURLNeedsInsecureTransport() throws {
        let env = Self.env(["NEWSROOM_PUBLIC_URL": "http://news.example.com"])
        let error = Self.refusal(env)
        #expect(error == .insecurePublicURL("http://news.example.com"))
        let message = error?.description ?? ""
        #expect(message.contains("plain http") && message.contains("--insecure-transport") && message.contains("OAUTHLIB_INSECURE_TRANSPORT=1"), "\(message)")

        var options = ServeOptions()
        options.insecureTransport = true
        let flagged = try ConfigResolver.resolve(options, environment: env)
        #expect(flagged.publicURL == "http://news.example.com")
        #expect(flagged.insecureTransport && !flagged.cookiesAreSecure)

        for variable in ["OAUTHLIB_INSECURE_TRANSPORT", "NEWSROOM_INSECURE_TRANSPORT"] {
            var withEnv = env
            withEnv[variable] = "1"
            #expect(try ConfigResolver.resolve(ServeOptions(), environment: withEnv).insecureTransport)
        }
        var off = env
        off["OAUTHLIB_INSECURE_TRANSPORT"] = "0"
        Self.refused(off)
    }

    @Test func defaultPublicURLIsPlainHTTPAndSoNeedsInsecureTransport() {
        let message = Self.refused(Self.env(["NEWSROOM_PUBLIC_URL": nil]))
        #expect(message.contains("http://127.0.0.1:8080"), "\(message)")
    }

    @Test(arguments: ["news.example.com", "ftp://news.example.com", "https://news.example.com/?x=1", "https://news.example.com/#top", "https://"])
    func unusablePublicURLIsRefused(url: String) {
        Self.refused(Self.env(["NEWSROOM_PUBLIC_URL": url]))
    }

    @Test func credentialsInURLsAreRefusedWithoutBeingRepeated() {
        let password = "hunter2-p4ssw0rd"
        for (name, url) in [("NEWSROOM_PUBLIC_URL", "https://editor:\(password)@news.example.com"),
                            ("GITHUB_BASE_URL", "https://bot:\(password)@ghe.example.com/api/v3"),
                            ("GITHUB_AUTH_URL", "https://bot:\(password)@ghe.example.com/login/oauth")] {
            let message = Self.refused(Self.env([name: url]))
            #expect(!message.contains(password), "\(message)")
            #expect(message.contains("ghe.example.com") || message.contains("news.example.com"), "\(message)")
        }
    }

    @Test func trailingSlashOnPublicURLIsDropped() throws {
        let config = try ConfigResolver.resolve(ServeOptions(), environment: Self.env(["NEWSROOM_PUBLIC_URL": "https://news.example.com/reader/"]))
        #expect(config.callbackURL == "https://news.example.com/reader/login/github/authorized")
    }

    @Test func sandboxNeedsInsecureTransport() {
        var options = ServeOptions()
        options.githubSandbox = true
        let error = Self.refusal(Self.env(["GITHUB_CLIENT_ID": nil, "GITHUB_CLIENT_SECRET": nil]), options: options)
        #expect(error == .sandboxNeedsInsecureTransport)
        let message = error?.description ?? ""
        #expect(message.contains("sandbox") && message.contains("--insecure-transport"), "\(message)")
        #expect(Self.refusal(Self.env(["GITHUB_CLIENT_ID": nil, "GITHUB_CLIENT_SECRET": nil, "NEWSROOM_GITHUB_SANDBOX": "1"])) == .sandboxNeedsInsecureTransport)
    }

    @Test func sandboxIsChosenOnLoopbackWithInsecureTransportAndNoOAuthApp() throws {
        let env = Self.env(["GITHUB_CLIENT_ID": nil, "GITHUB_CLIENT_SECRET": nil, "NEWSROOM_PUBLIC_URL": nil, "OAUTHLIB_INSECURE_TRANSPORT": "1"])
        for host in ["127.0.0.1", "localhost", "::1"] {
            var options = ServeOptions()
            options.host = host
            let config = try ConfigResolver.resolve(options, environment: env)
            #expect(config.useSandbox, "host \(host)")
            #expect(config.github == nil)
        }
        #expect(try ConfigResolver.resolve(ServeOptions(), environment: env).publicURL == "http://127.0.0.1:8080")

        // Not on a public interface: there the operator must name a real app.
        var exposed = ServeOptions()
        exposed.host = "0.0.0.0"
        let error = Self.refusal(env, options: exposed)
        #expect(error == .clientIDMissing(callbackURL: "http://0.0.0.0:8080/login/github/authorized"))
        let message = error?.description ?? ""
        #expect(message.contains("GITHUB_CLIENT_ID"), "\(message)")
    }

    @Test func configuredOAuthAppWinsOverTheSandbox() throws {
        let env = Self.env(["NEWSROOM_PUBLIC_URL": nil, "OAUTHLIB_INSECURE_TRANSPORT": "1"])
        let config = try ConfigResolver.resolve(ServeOptions(), environment: env)
        #expect(config.useSandbox == false)
        #expect(config.github?.clientID == "Iv1.0123456789abcdef")

        var noSecret = env
        noSecret["GITHUB_CLIENT_SECRET"] = nil
        let error = Self.refusal(noSecret)
        #expect(error == .clientSecretMissing)
        let message = error?.description ?? ""
        #expect(message.contains("GITHUB_CLIENT_SECRET"), "\(message)")
    }

    @Test func clientSecretWithoutClientIDIsRefusedNotSandboxed() {
        let env = Self.env(["GITHUB_CLIENT_ID": nil, "NEWSROOM_PUBLIC_URL": nil, "OAUTHLIB_INSECURE_TRANSPORT": "1"])
        let error = Self.refusal(env)
        #expect(error == .clientSecretWithoutClientID)
        let message = error?.description ?? ""
        #expect(message.contains("GITHUB_CLIENT_ID") && message.contains("GITHUB_CLIENT_SECRET"), "\(message)")
    }

    @Test func enterpriseURLsGetATrailingSlash() throws {
        let config = try ConfigResolver.resolve(ServeOptions(), environment: Self.env([
            "GITHUB_AUTH_URL": "https://ghe.example.com/login/oauth", "GITHUB_BASE_URL": "https://ghe.example.com/api/v3/",
        ]))
        #expect(config.github?.authURL == "https://ghe.example.com/login/oauth/")
        #expect(config.github?.apiURL == "https://ghe.example.com/api/v3/")

        let message = Self.refused(Self.env(["GITHUB_BASE_URL": "http://ghe.example.com/api/v3"]))
        #expect(message.contains("GITHUB_BASE_URL") && message.contains("--insecure-transport"), "\(message)")
        Self.refused(Self.env(["GITHUB_AUTH_URL": "ghe.example.com/login/oauth"]))
        Self.refused(Self.env(["GITHUB_BASE_URL": "https://ghe.example.com/api/v3?per_page=1"]))
    }

    @Test func shortSecretKeyIsRefused() {
        let short = "0123456789abcdef0123456789abcde"  // 31 bytes
        let error = Self.refusal(Self.env(["APP_SECRET_KEY": short]))
        #expect(error == .secretKeyTooShort(minimumBytes: 32))
        let message = error?.description ?? ""
        #expect(message.contains("APP_SECRET_KEY") && message.contains("32"), "\(message)")
        #expect(!message.contains(short))
    }

    @Test func secretKeyFileIsReadWithoutItsTrailingNewline() throws {
        let folder = try Self.temporaryFolder()
        let path = folder + "/key"
        try Data((Self.secretKey + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let config = try ConfigResolver.resolve(ServeOptions(), environment: Self.env(["APP_SECRET_KEY": nil, "APP_SECRET_KEY_FILE": path]))
        #expect(config.secretKey == Array(Self.secretKey.utf8))

        try Data("too short\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(Self.refused(Self.env(["APP_SECRET_KEY": nil, "APP_SECRET_KEY_FILE": path])).contains(path))
        let missing = Self.refused(Self.env(["APP_SECRET_KEY": nil, "APP_SECRET_KEY_FILE": folder + "/absent"]))
        #expect(missing.contains("cannot be read"), "\(missing)")
    }

    @Test func missingSecretKeyIsRefusedWithoutInsecureTransport() {
        let error = Self.refusal(Self.env(["APP_SECRET_KEY": nil]))
        #expect(error == .secretKeyMissing(minimumBytes: 32))
        let message = error?.description ?? ""
        #expect(message.contains("APP_SECRET_KEY") && message.contains("APP_SECRET_KEY_FILE"), "\(message)")
    }

    @Test func insecureTransportCreatesAPrivateKeyFileBesideTheDatabaseAndReusesIt() throws {
        let folder = try Self.temporaryFolder()
        var options = ServeOptions()
        options.insecureTransport = true
        options.databasePath = folder + "/newsroom.sqlite"
        let env = Self.env(["APP_SECRET_KEY": nil, "NEWSROOM_PUBLIC_URL": nil])

        let first = try ConfigResolver.resolve(options, environment: env)
        let keyPath = folder + "/newsroom.sqlite.key"
        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(first.secretKey.count >= ConfigResolver.minimumSecretKeyBytes)
        #expect(first.secretKey == Array(try String(contentsOfFile: keyPath, encoding: .utf8).utf8))

        let second = try ConfigResolver.resolve(options, environment: env)
        #expect(second.secretKey == first.secretKey)

        // Another folder gets another key.
        var elsewhere = options
        elsewhere.databasePath = try Self.temporaryFolder() + "/newsroom.sqlite"
        #expect(try ConfigResolver.resolve(elsewhere, environment: env).secretKey != first.secretKey)
    }

    @Test func keyFileOthersCanReadIsRefused() throws {
        let folder = try Self.temporaryFolder()
        var options = ServeOptions()
        options.insecureTransport = true
        options.databasePath = folder + "/newsroom.sqlite"
        let env = Self.env(["APP_SECRET_KEY": nil, "NEWSROOM_PUBLIC_URL": nil])
        let key = try ConfigResolver.resolve(options, environment: env).secretKey
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: folder + "/newsroom.sqlite.key")

        let error = Self.refusal(env, options: options)
        #expect(error == .localKeyFileReadableByOthers(path: folder + "/newsroom.sqlite.key"))
        let message = error?.description ?? ""
        #expect(message.contains("chmod 600"), "\(message)")
        #expect(!message.contains(String(decoding: key, as: UTF8.self)))
    }

    @Test(arguments: [
        ("OAUTHLIB_INSECURE_TRANSPORT", "maybe"),
        ("NEWSROOM_INSECURE_TRANSPORT", "2"),
        ("NEWSROOM_PORT", "abc"),
        ("NEWSROOM_PORT", "70000"),
        ("NEWSROOM_PORT", "-1"),
        ("NEWSROOM_MEMBERSHIP_TTL", "-5"),
        ("NEWSROOM_MEMBERSHIP_TTL", "0"),
        ("NEWSROOM_MEMBERSHIP_TTL", "ten"),
        ("NEWSROOM_IDLE_TIMEOUT", "1.5"),
        ("NEWSROOM_REVOKE_ON_LOGOUT", "sometimes"),
    ])
    func badValuesAreRefusedByName(name: String, value: String) {
        let message = Self.refused(Self.env([name: value]))
        #expect(message.contains(name) || message.contains("port"), "\(message)")
        #expect(message.contains(value) || name == "NEWSROOM_PORT", "\(message)")
    }

    @Test func flagsWinOverTheEnvironment() throws {
        var options = ServeOptions()
        options.port = 9000
        options.membershipTTLSeconds = 60
        let config = try ConfigResolver.resolve(options, environment: Self.env(["NEWSROOM_PORT": "abc", "NEWSROOM_MEMBERSHIP_TTL": "-5"]))
        #expect(config.port == 9000)
        #expect(config.membershipTTL == .seconds(60))
        options.membershipTTLSeconds = 0
        Self.refused(Self.production, options: options)
        options.membershipTTLSeconds = nil
        options.port = 65536
        Self.refused(Self.production, options: options)
    }

    @Test func secretsNeverAppearInAnyMessage() {
        // Every refusal above goes through `refused`, which checks this; here the secrets also sit in unexpected places.
        let env = Self.env(["GITHUB_USERS": "bad name!", "GITHUB_CLIENT_SECRET": Self.clientSecret, "APP_SECRET_KEY": Self.secretKey])
        Self.refused(env)
        Self.refused(Self.env(["APP_SECRET_KEY": Self.secretKey + " trailing", "NEWSROOM_PORT": "x"]))
    }

    // MARK: Connection limits (issue 9 item 4)

    @Test func connectionLimitsDefaultToThirtySecondsAndFiveHundredTwelveConnections() throws {
        let config = try ConfigResolver.resolve(ServeOptions(), environment: Self.production)
        #expect(config.connectionTimeout == .seconds(30))
        #expect(config.maxConnections == 512)
        // The session's idle limit is another setting and keeps its own default.
        #expect(config.idleTimeout == .seconds(24 * 3600))
    }

    @Test func connectionLimitsComeFromTheEnvironmentAndFlagsWin() throws {
        let env = Self.env(["NEWSROOM_CONNECTION_TIMEOUT": "5", "NEWSROOM_MAX_CONNECTIONS": "100"])
        let fromEnv = try ConfigResolver.resolve(ServeOptions(), environment: env)
        #expect(fromEnv.connectionTimeout == .seconds(5))
        #expect(fromEnv.maxConnections == 100)
        #expect(fromEnv.idleTimeout == .seconds(24 * 3600), "the connection timeout is not the session idle timeout")

        var options = ServeOptions()
        options.connectionTimeoutSeconds = 12
        options.maxConnections = 40
        let fromFlags = try ConfigResolver.resolve(options, environment: Self.env(["NEWSROOM_CONNECTION_TIMEOUT": "junk", "NEWSROOM_MAX_CONNECTIONS": "0"]))
        #expect(fromFlags.connectionTimeout == .seconds(12))
        #expect(fromFlags.maxConnections == 40)
    }

    @Test(arguments: [
        ("NEWSROOM_CONNECTION_TIMEOUT", "0"), ("NEWSROOM_CONNECTION_TIMEOUT", "-1"), ("NEWSROOM_CONNECTION_TIMEOUT", "thirty"),
        ("NEWSROOM_CONNECTION_TIMEOUT", "2.5"), ("NEWSROOM_CONNECTION_TIMEOUT", "601"),
        ("NEWSROOM_CONNECTION_TIMEOUT", "99999999999999999999999"),
        ("NEWSROOM_MAX_CONNECTIONS", "0"), ("NEWSROOM_MAX_CONNECTIONS", "-10"), ("NEWSROOM_MAX_CONNECTIONS", "many"),
        ("NEWSROOM_MAX_CONNECTIONS", "65537"), ("NEWSROOM_MAX_CONNECTIONS", "1e9"),
    ])
    func badConnectionLimitsAreRefusedSayingWhatIsAllowed(name: String, value: String) {
        let error = Self.refusal(Self.env([name: value]))
        guard case .notInRange(let setting, let got, _, _) = error else {
            Issue.record("expected notInRange, got \(String(describing: error))")
            return
        }
        #expect(setting == name && got == value)
        let message = error?.description ?? ""
        #expect(message.contains(name) && message.contains("'\(value)'"), "\(message)")
        #expect(message.contains("from 1 to"), "the message says what is allowed: \(message)")
    }

    @Test(arguments: [0, -1, 601, Int.max])
    func aBadConnectionTimeoutFlagIsRefusedNamingTheFlag(seconds: Int) {
        var options = ServeOptions()
        options.connectionTimeoutSeconds = seconds
        let message = Self.refused(Self.production, options: options)
        #expect(message == "--connection-timeout must be a whole number of seconds from 1 to 600 (got '\(seconds)')")
    }

    @Test(arguments: [0, -5, 65_537])
    func aBadMaxConnectionsFlagIsRefusedNamingTheFlag(count: Int) {
        var options = ServeOptions()
        options.maxConnections = count
        let message = Self.refused(Self.production, options: options)
        #expect(message == "--max-connections must be a whole number of connections from 1 to 65536 (got '\(count)')")
    }

    @Test func revokeOnLogoutIsOffByDefaultAndNamesTokenOrGrant() throws {
        #expect(try ConfigResolver.resolve(ServeOptions(), environment: Self.production).revokeOnLogout == nil)
        for (value, expected) in [("1", LogoutRevocation.token), ("true", .token), ("token", .token), ("TOKEN", .token), ("grant", .grant)] {
            #expect(try ConfigResolver.resolve(ServeOptions(), environment: Self.env(["NEWSROOM_REVOKE_ON_LOGOUT": value])).revokeOnLogout == expected)
        }
        for value in ["0", "false", "off"] {
            #expect(try ConfigResolver.resolve(ServeOptions(), environment: Self.env(["NEWSROOM_REVOKE_ON_LOGOUT": value])).revokeOnLogout == nil)
        }
        // The flag wins over the environment.
        var options = ServeOptions()
        options.revokeOnLogout = "grant"
        #expect(try ConfigResolver.resolve(options, environment: Self.env(["NEWSROOM_REVOKE_ON_LOGOUT": "token"])).revokeOnLogout == .grant)
    }

    @Test(arguments: ["grants", "all", "yes-please", "token,grant", "\u{0}"])
    func unclearRevokeOnLogoutIsRefused(_ value: String) {
        #expect(Self.refusal(Self.env(["NEWSROOM_REVOKE_ON_LOGOUT": value])) == .notARevocation(setting: "NEWSROOM_REVOKE_ON_LOGOUT", value: value))
        var options = ServeOptions()
        options.revokeOnLogout = value
        #expect(Self.refused(Self.production, options: options) == "--revoke-on-logout must be token or grant (or 1/0 in the environment) (got '\(value)')")
    }

    @Test func trustedProxiesAreParsedAndAMalformedEntryIsRefused() throws {
        let config = try ConfigResolver.resolve(ServeOptions(), environment: Self.env(["NEWSROOM_TRUSTED_PROXIES": "10.0.0.0/8, fd00::/8,192.0.2.7"]))
        #expect(config.trustedProxies.count == 3)
        #expect(try ConfigResolver.resolve(ServeOptions(), environment: Self.production).trustedProxies.isEmpty)
        for bad in ["10.0.0.0/8,proxy.internal", "10.0.0.0/40", "*", "10.0.0.0/8;rm -rf /"] {
            let message = Self.refused(Self.env(["NEWSROOM_TRUSTED_PROXIES": bad]))
            #expect(message.contains("NEWSROOM_TRUSTED_PROXIES"), "\(message)")
        }
    }
}

/// A configuration problem, one case per thing the operator has to change; `description` says how.
/// Never carries a secret's value: URLs arrive here with any `user:password@` already redacted.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
    /// An on/off environment variable held something else.
    case notAFlag(variable: String, value: String)
    /// A duration setting was zero, negative or not a whole number; `value` is nil when it came from a flag.
    case notPositiveSeconds(setting: String, value: String?)
    case notAPortNumber(String)
    case portOutOfRange(Int)
    /// A whole-number setting (`--connection-timeout`, NEWSROOM_MAX_CONNECTIONS, …) was garbage or outside `allowed`.
    case notInRange(setting: String, value: String, allowed: ClosedRange<Int>, unit: String)

    // The gate
    case noGate
    case moreThanOneOrg
    /// `setting` is where the name came from ("GITHUB_ORG", "GITHUB_USERS login").
    case invalidGitHubName(setting: String, name: String)
    case invalidTeamEntry(String)

    // The GitHub OAuth app
    case clientSecretWithoutClientID
    case clientIDMissing(callbackURL: String)
    case clientSecretMissing
    case sandboxNeedsInsecureTransport
    /// The app was composed without `config.github` (neither a real app nor the sandbox was set up).
    case noGitHubApp

    // URLs (credentials redacted)
    case malformedPublicURL(String)
    case unsupportedPublicURLScheme(String)
    case insecurePublicURL(String)
    /// Insecure transport asked for while the public URL is https: half-secure, so refused.
    case insecureTransportWithHTTPSPublicURL(settings: [String])
    case malformedBaseURL(setting: String, url: String)
    case baseURLNotPlain(setting: String, url: String)
    case insecureBaseURL(setting: String)

    // The session-signing key
    case secretKeyMissing(minimumBytes: Int)
    /// PostgreSQL is for several instances, which must seal and open each other's tokens: no key generated per machine.
    case secretKeyNeededForPostgres(minimumBytes: Int)
    /// `--database`/`NEWSROOM_DATABASE`/`DATABASE_URL` looks like a PostgreSQL URL but is not a valid one.
    case invalidDatabaseURL(reason: String)
    case secretKeyTooShort(minimumBytes: Int)
    case secretKeyFileUnreadable(path: String)
    case secretKeyFileTooShort(path: String, minimumBytes: Int)
    case localKeyFileReadableByOthers(path: String)
    case localKeyFileTooShort(path: String)
    case localKeyFileNotCreated(path: String, errno: Int32)
    case localKeyFileNotWritten(path: String)

    // Limits
    /// An entry of NEWSROOM_TRUSTED_PROXIES that is not an IP address or CIDR range.
    case invalidTrustedProxy(String)
    /// `--revoke-on-logout` or NEWSROOM_REVOKE_ON_LOGOUT held something other than token, grant or an on/off value.
    case notARevocation(setting: String, value: String)

    // Operations
    /// LOG_FORMAT held something other than text or json.
    case unknownLogFormat(String)
    /// `--metrics-address` / NEWSROOM_METRICS_ADDRESS is not HOST:PORT.
    case malformedMetricsAddress(setting: String, value: String)
    /// The metrics listener was given the app's own port: metrics are never served beside the pages.
    case metricsOnAppPort(setting: String, port: Int)

    public var description: String {
        switch self {
        case .notAFlag(let variable, let value):
            "\(variable) must be 1 or 0 (got '\(value)')"
        case .notPositiveSeconds(let setting, nil):
            "\(setting) must be a positive number of seconds"
        case .notPositiveSeconds(let setting, let value?):
            "\(setting) must be a positive number of seconds (got '\(value)')"
        case .notAPortNumber(let value):
            "NEWSROOM_PORT must be a port number (got '\(value)')"
        case .portOutOfRange(let port):
            "port must be between 0 and 65535 (got \(port))"
        case .notInRange(let setting, let value, let allowed, let unit):
            "\(setting) must be a whole number of \(unit) from \(allowed.lowerBound) to \(allowed.upperBound) (got '\(value)')"
        case .noGate:
            "no sign-in gate configured: set GITHUB_ORG, GITHUB_TEAMS (org/team,…) or GITHUB_USERS (login,…), or pass --allow-any-github-user to admit every GitHub user"
        case .moreThanOneOrg:
            "GITHUB_ORG takes one organization; use GITHUB_TEAMS for more"
        case .invalidGitHubName(let setting, let name):
            "\(setting) '\(name)' is not a valid GitHub name"
        case .invalidTeamEntry(let entry):
            "GITHUB_TEAMS entry '\(entry)' must be org/team-slug (letters, digits, '-', '_' or '.' on each side), e.g. acme/editors"
        case .clientSecretWithoutClientID:
            "GITHUB_CLIENT_SECRET is set but GITHUB_CLIENT_ID is not: set both (from your GitHub OAuth app), or unset GITHUB_CLIENT_SECRET"
        case .clientIDMissing(let callbackURL):
            "GITHUB_CLIENT_ID is not set: register an OAuth app at GitHub (callback \(callbackURL)) and set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET"
        case .clientSecretMissing:
            "GITHUB_CLIENT_SECRET is not set (GITHUB_CLIENT_ID is)"
        case .sandboxNeedsInsecureTransport:
            "the GitHub sandbox is for local trial only: it needs --insecure-transport (or OAUTHLIB_INSECURE_TRANSPORT=1)"
        case .noGitHubApp:
            "no GitHub OAuth app configured"
        case .malformedPublicURL(let url):
            "public URL '\(url)' is not an absolute http(s) URL without user, password, query or fragment"
        case .unsupportedPublicURLScheme(let scheme):
            "public URL must use http or https (got '\(scheme)')"
        case .insecurePublicURL(let url):
            "public URL \(url) uses plain http: serve it behind TLS (https://…), or pass --insecure-transport (OAUTHLIB_INSECURE_TRANSPORT=1) for local use only"
        case .insecureTransportWithHTTPSPublicURL(let settings):
            "the public URL is https but insecure transport is on (\(settings.joined(separator: ", "))): drop \(settings.count == 1 ? "it" : "them") to serve behind TLS with Secure cookies, or use an http:// public URL for local use"
        case .malformedBaseURL(let setting, let url):
            "\(setting) '\(url)' is not an absolute http(s) URL"
        case .baseURLNotPlain(let setting, let url):
            "\(setting) '\(url)' must be a plain base URL, without user, password, query or fragment"
        case .insecureBaseURL(let setting):
            "\(setting) uses plain http; that is allowed only with --insecure-transport"
        case .secretKeyMissing(let minimumBytes):
            "APP_SECRET_KEY is not set: give at least \(minimumBytes) random bytes (e.g. `openssl rand -hex 32`) in APP_SECRET_KEY or APP_SECRET_KEY_FILE"
        case .secretKeyNeededForPostgres(let minimumBytes):
            "APP_SECRET_KEY is not set: with PostgreSQL every instance must use the same key (at least \(minimumBytes) random bytes, e.g. `openssl rand -hex 32`) in APP_SECRET_KEY or APP_SECRET_KEY_FILE; none is generated, even with --insecure-transport"
        case .invalidDatabaseURL(let reason):
            "the database URL is not valid (\(reason)); write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=require, or give an SQLite file path"
        case .secretKeyTooShort(let minimumBytes):
            "APP_SECRET_KEY is too short: use at least \(minimumBytes) random bytes (e.g. `openssl rand -hex 32`)"
        case .secretKeyFileUnreadable(let path):
            "APP_SECRET_KEY_FILE \(path) cannot be read"
        case .secretKeyFileTooShort(let path, let minimumBytes):
            "APP_SECRET_KEY_FILE \(path) holds fewer than \(minimumBytes) bytes"
        case .localKeyFileReadableByOthers(let path):
            "key file \(path) can be read by other users: run `chmod 600 \(path)` (or delete it to make a new one)"
        case .localKeyFileTooShort(let path):
            "key file \(path) is too short; delete it to make a new one"
        case .localKeyFileNotCreated(let path, let errno):
            "cannot create key file \(path) (errno \(errno))"
        case .localKeyFileNotWritten(let path):
            "cannot write key file \(path)"
        case .notARevocation(let setting, let value):
            "\(setting) must be token or grant (or 1/0 in the environment) (got '\(value)')"
        case .unknownLogFormat(let value):
            "LOG_FORMAT must be text or json (got '\(Self.printable(value))')"
        case .malformedMetricsAddress(let setting, let value):
            "\(setting) must be HOST:PORT, e.g. 127.0.0.1:9464 or [::1]:9464 (got '\(Self.printable(value))')"
        case .metricsOnAppPort(let setting, let port):
            "\(setting) uses port \(port), the app's own port: give the metrics listener a port of its own (e.g. 9464)"
        case .invalidTrustedProxy(let entry):
            "NEWSROOM_TRUSTED_PROXIES entry \"\(entry)\" is not an IP address or CIDR range (e.g. 10.0.0.0/8, fd00::/8)"
        }
    }

    /// A configured value as it may be shown: control characters escaped (a message stays one line) and long
    /// values cut, since what is echoed back is whatever was typed.
    static func printable(_ value: String) -> String {
        var shown = ""
        for scalar in value.unicodeScalars.prefix(80) {
            shown += scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
                ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }
        return value.unicodeScalars.count > 80 ? shown + "…" : shown
    }
}

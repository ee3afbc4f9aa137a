import Foundation

/// Where a PostgreSQL database lives and how to reach it, read from a libpq-style URL:
/// `postgres://user:password@host:port/database?sslmode=require` (`postgresql://` too).
///
/// - user and password are percent-decoded (a password with `@`, `:` or `/` must be percent-encoded, as in libpq);
/// - host may be a name, an IPv4 address or a bracketed IPv6 address (`[::1]`); port defaults to 5432;
/// - database defaults to the user name, as the server does;
/// - query parameters: `sslmode` (see `SSLMode`), `sslrootcert` (a PEM file of CA certificates to trust instead of the
///   system's, for the verifying modes), `connect_timeout` (whole seconds), `application_name`. Any other parameter is
///   refused rather than silently ignored.
///
/// The password never leaves this value by accident: `description`, `debugDescription`, `redacted` and the mirror
/// `dump` uses all leave it out, and no parse error quotes the URL.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// How the connection is protected. libpq's names and meanings, as far as PostgresNIO can follow them.
    public enum SSLMode: String, Sendable, CaseIterable {
        /// Plain TCP, never TLS.
        case disable
        /// libpq tries plain TCP first and TLS second; PostgresNIO can only ask for TLS and fall back, so this
        /// behaves like `prefer`.
        case allow
        /// TLS when the server offers it, else plain TCP; the certificate is not checked (as in libpq). The default.
        case prefer
        /// TLS or no connection; the certificate is not checked (as in libpq without a root certificate).
        case require
        /// TLS, and the certificate must chain to a trusted CA (`sslrootcert`, else the system's); any host name.
        case verifyCA = "verify-ca"
        /// TLS, the certificate must chain to a trusted CA and name the host.
        case verifyFull = "verify-full"
    }

    public static let defaultPort = 5432

    public let user: String
    /// Kept out of every description; only the connection configuration reads it.
    let password: String?
    /// The host name or address as written, without the brackets around an IPv6 address.
    public let host: String
    public let port: Int
    public internal(set) var database: String
    /// `prefer` when the URL names none, as libpq does.
    public let sslMode: SSLMode
    /// The CA certificates (PEM file) the verifying modes trust; nil for the system's.
    public let sslRootCertificatePath: String?
    /// How long one connection attempt may take; nil for PostgresNIO's default (10 s).
    public let connectTimeout: Duration?
    /// Shown in `pg_stat_activity`; nil leaves it unset.
    public let applicationName: String?

    /// Whether `string` is meant as a PostgreSQL URL (its scheme is `postgres` or `postgresql`, any case), as opposed
    /// to an SQLite file path. Says nothing about whether it is a valid one.
    public static func isPostgresURL(_ string: String) -> Bool {
        let lowered = string.prefix(14).lowercased()
        return lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://")
    }

    /// Reads a URL. - Throws: `PostgresURLError` saying what is wrong, without quoting the URL (it may hold the password).
    public init(_ string: String) throws(PostgresURLError) {
        let parts = try URLParts(string)
        user = parts.user
        password = parts.password
        host = parts.host
        port = parts.port
        database = parts.database ?? parts.user
        var sslMode = SSLMode.prefer
        var rootCertificate: String?
        var connectTimeout: Duration?
        var applicationName: String?
        for (name, value) in parts.query {
            switch name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw PostgresURLError("unknown sslmode (use one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                sslMode = mode
            case "sslrootcert":
                guard !value.isEmpty else { throw PostgresURLError("sslrootcert is empty") }
                rootCertificate = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0, seconds <= 3_600 else {
                    throw PostgresURLError("connect_timeout must be a whole number of seconds from 1 to 3600")
                }
                connectTimeout = .seconds(seconds)
            case "application_name":
                applicationName = value
            default:
                throw PostgresURLError("unsupported query parameter (supported: sslmode, sslrootcert, connect_timeout, application_name)")
            }
        }
        self.sslMode = sslMode
        self.sslRootCertificatePath = rootCertificate
        self.connectTimeout = connectTimeout
        self.applicationName = applicationName
    }

    /// The URL without the password or any parameter: `postgres://user@host:port/database`. What every message shows.
    public var redacted: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(Self.encode(user))@\(Self.encode(hostPart, keeping: "[]:"))" + ":\(port)/\(Self.encode(database))"
    }

    public var description: String { redacted }
    public var debugDescription: String { "PostgresURL(\(redacted), sslmode: \(sslMode.rawValue))" }
    /// `dump(url)` and debuggers list these instead of the stored properties, so the password stays out.
    public var customMirror: Mirror {
        Mirror(self, children: ["redacted": redacted, "sslMode": sslMode.rawValue], displayStyle: .struct)
    }

    /// Letters, digits and `-._~` stay as they are; anything else (spaces, control characters, `@`, `/`…) is
    /// percent-encoded, so a shown URL is one line and reads back as the same parts.
    private static func encode(_ text: String, keeping extra: String = "") -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        allowed.insert(charactersIn: extra)
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "?"
    }
}

/// Why a string is not a usable PostgreSQL URL. The message names the part that is wrong but quotes nothing from the
/// URL: a mistyped URL can put the password anywhere (`user:pa/ss@host` reads as host `user`, port `pa`).
public struct PostgresURLError: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String

    init(_ reason: String) { self.reason = reason }

    public var description: String { "invalid PostgreSQL URL: \(reason)" }
}

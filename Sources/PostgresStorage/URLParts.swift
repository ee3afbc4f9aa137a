import Foundation

/// The pieces of a `postgres://` URL, percent-decoded: the structure only, `PostgresURL` gives them meaning.
///
/// A hand-written reader rather than Foundation's URL types, whose handling of bracketed IPv6 hosts, of `@` in the
/// user information and of invalid percent-encoding has differed between platforms and releases; here every case
/// has one answer, and every refusal says which part is wrong without quoting it.
struct URLParts {
    var user: String
    var password: String?
    var host: String
    var port: Int
    var database: String?
    var query: [(name: String, value: String)]

    init(_ string: String) throws(PostgresURLError) {
        guard let schemeEnd = string.range(of: "://") else {
            throw PostgresURLError("it does not start with postgres:// or postgresql://")
        }
        let scheme = string[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresURLError("the scheme must be postgres:// or postgresql://")
        }
        let rest = string[schemeEnd.upperBound...]
        guard !rest.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
            throw PostgresURLError("it contains spaces or control characters (percent-encode them)")
        }
        guard !rest.contains("#") else {
            throw PostgresURLError("it contains '#' (percent-encode it as %23, in a password too)")
        }

        let beforeQuery = rest.prefix { $0 != "?" }
        let queryText = rest.dropFirst(beforeQuery.count + 1)
        let authority = beforeQuery.prefix { $0 != "/" }
        let path = beforeQuery.dropFirst(authority.count + 1)

        // The last '@' ends the user information: an unencoded '@' in a password still reads as libpq reads it.
        guard let at = authority.lastIndex(of: "@") else {
            throw PostgresURLError("it names no user (postgres://user@host/database)")
        }
        let userInfo = authority[..<at]
        let hostAndPort = authority[authority.index(after: at)...]

        let userText = userInfo.prefix { $0 != ":" }
        user = try Self.decode(userText, part: "user")
        guard !user.isEmpty else { throw PostgresURLError("it names no user (postgres://user@host/database)") }
        password = userText.count < userInfo.count ? try Self.decode(userInfo.dropFirst(userText.count + 1), part: "password") : nil

        (host, port) = try Self.hostAndPort(hostAndPort)
        let database = try Self.decode(path, part: "database name")
        self.database = database.isEmpty ? nil : database
        query = try Self.parameters(queryText)
    }

    private static func hostAndPort(_ text: Substring) throws(PostgresURLError) -> (String, Int) {
        guard !text.contains(",") else { throw PostgresURLError("several hosts are not supported") }
        let host: Substring
        let portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw PostgresURLError("an IPv6 address lacks its closing ']'") }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { throw PostgresURLError("only ':port' may follow an IPv6 address") }
            portText = after.isEmpty ? nil : after.dropFirst()
            guard !host.isEmpty, host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw PostgresURLError("the address in brackets is not an IPv6 address")
            }
        } else {
            let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw PostgresURLError("an IPv6 address must be in brackets, e.g. [::1]") }
            host = parts[0]
            portText = parts.count == 2 ? parts[1] : nil
            guard !host.isEmpty else { throw PostgresURLError("it names no host (Unix sockets are not supported)") }
            guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_") }) else {
                throw PostgresURLError("the host name has characters a host name cannot have")
            }
        }
        guard let portText else { return (String(host), PostgresURL.defaultPort) }
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = Int(portText), (1...65_535).contains(port) else {
            throw PostgresURLError("the port is not a number from 1 to 65535")
        }
        return (String(host), port)
    }

    private static func parameters(_ text: Substring) throws(PostgresURLError) -> [(name: String, value: String)] {
        guard !text.isEmpty else { return [] }
        var seen = Set<String>()
        var parameters: [(name: String, value: String)] = []
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            guard let equals = pair.firstIndex(of: "=") else { throw PostgresURLError("a query parameter has no '=value'") }
            let name = try decode(pair[..<equals], part: "query parameter name")
            let value = try decode(pair[pair.index(after: equals)...], part: "query parameter value")
            guard seen.insert(name).inserted else { throw PostgresURLError("a query parameter appears twice") }
            parameters.append((name, value))
        }
        return parameters
    }

    /// Percent-decodes one part; refuses broken escapes, bytes that are not UTF-8, and NUL (which the protocol's
    /// strings cannot carry).
    private static func decode(_ text: Substring, part: String) throws(PostgresURLError) -> String {
        guard let decoded = String(text).removingPercentEncoding else {
            throw PostgresURLError("the \(part) has an invalid percent-encoding")
        }
        guard !decoded.unicodeScalars.contains("\u{0}") else { throw PostgresURLError("the \(part) contains a NUL character") }
        return decoded
    }
}

import Foundation

/// A `Set-Cookie` line taken apart: name, value, and its attributes lowercased (`max-age=600`, `httponly`, …).
public struct CookieLine: Equatable, CustomStringConvertible {
    public var name: String
    public var value: String
    public var attributes: Set<String>

    public init?(_ line: String?) {
        guard let line else { return nil }
        let parts = line.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let pair = parts.first, let equals = pair.firstIndex(of: "=") else { return nil }
        name = String(pair[..<equals])
        value = String(pair[pair.index(after: equals)...])
        attributes = Set(parts.dropFirst().map { $0.lowercased() })
    }

    public var description: String { "\(name)=…; " + attributes.sorted().joined(separator: "; ") }

    public var hasDomain: Bool { attributes.contains { $0.hasPrefix("domain") } }
}

/// base64url of 32 random bytes, as the app mints states, nonces and session ids.
public func isOpaque256(_ value: String) -> Bool {
    value.wholeMatch(of: /[A-Za-z0-9_-]{43}/) != nil
}

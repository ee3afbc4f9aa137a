import Crypto
import Foundation

/// A PKCE (RFC 7636) verifier and its S256 challenge, new for every login attempt.
public struct PKCE: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Kept server-side next to the state; sent only to the token endpoint.
    public let verifier: String
    /// BASE64URL(SHA256(verifier)) without padding: always 43 characters.
    public let challenge: String

    /// 64 unreserved characters from the system CSPRNG (384 bits).
    public static func generate() -> PKCE {
        var rng = SystemRandomNumberGenerator()
        return PKCE(verifier: Base64URL.randomString(byteCount: 48, using: &rng))
    }

    /// Rebuilds the pair from a stored verifier.
    public init(verifier: String) {
        self.verifier = verifier
        self.challenge = PKCE.challenge(for: verifier)
    }

    public static func challenge(for verifier: String) -> String {
        Base64URL.encode(Array(SHA256.hash(data: Array(verifier.utf8))))
    }

    public var description: String { "PKCE(verifier: <redacted>, challenge: \(challenge))" }
    public var debugDescription: String { description }
}

/// The OAuth `state` value: an unguessable one-time CSRF token.
public enum OAuthState {
    /// 256 bits from the system CSPRNG, base64url without padding (43 characters).
    public static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        return Base64URL.randomString(byteCount: 32, using: &rng)
    }
}

enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func randomString(byteCount: Int, using rng: inout some RandomNumberGenerator) -> String {
        encode((0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &rng) })
    }
}

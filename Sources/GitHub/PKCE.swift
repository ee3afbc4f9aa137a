import Crypto
import Foundation

/// A PKCE (RFC 7636) verifier and its S256 challenge, new for every login attempt.
public struct PKCE: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Kept server-side next to the state; sent only to the token endpoint.
    public let verifier: String
    /// BASE64URL(SHA256(verifier)) without padding: always 43 characters.
    public let challenge: String

    /// 64 unreserved characters: 384 bits from `randomBytes` (a CSPRNG; the app passes its injected one).
    public static func generate(randomBytes: (Int) -> [UInt8] = SystemRandom.bytes) -> PKCE {
        PKCE(verifier: Base64URL.encode(randomBytes(48)))
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
    /// 256 bits from `randomBytes` (a CSPRNG; the app passes its injected one), base64url without padding (43 characters).
    public static func generate(randomBytes: (Int) -> [UInt8] = SystemRandom.bytes) -> String {
        Base64URL.encode(randomBytes(32))
    }
}

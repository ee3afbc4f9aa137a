import Crypto
import Foundation

/// Random tokens, codes and secrets, from the system CSPRNG.
enum SandboxRandom {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// `prefix` + 36 random alphanumerics.
    static func token(prefix: String, length: Int = 36) -> String {
        var rng = SystemRandomNumberGenerator()
        return prefix + String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
    }

    static func hex(_ byteCount: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<byteCount).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
    }
}

/// RFC 7636 checks for the token endpoint.
enum PKCECheck {
    /// 43–128 unreserved characters.
    static func isValidVerifier(_ verifier: String) -> Bool {
        (43...128).contains(verifier.utf8.count) && verifier.unicodeScalars.allSatisfy { CharacterSet.unreserved.contains($0) }
    }

    static func s256(_ verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

/// Client credentials sent as HTTP Basic (revocation endpoints; the token endpoint's fallback).
struct BasicCredentials {
    var user: String
    var password: String

    /// Nil unless the header is `Basic base64(user:password)`.
    init?(header: String?) {
        guard let header, header.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        user = String(text[..<colon])
        password = String(text[text.index(after: colon)...])
    }
}

/// Compares secrets without leaking, through timing, how much of a guess was right.
func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
}

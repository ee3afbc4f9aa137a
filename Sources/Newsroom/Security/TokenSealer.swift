import Foundation
import Crypto
import Storage

/// Seals GitHub tokens at rest with AES-GCM under a key derived (HKDF-SHA256) from APP_SECRET_KEY.
public struct TokenSealer: Sendable {
    /// Derived key bytes (SymmetricKey itself is not Sendable).
    private let keyBytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public init(secret: [UInt8]) {
        let derived = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: secret),
                                             salt: Array("newsroom".utf8), info: Array("github-token-v1".utf8), outputByteCount: 32)
        keyBytes = derived.withUnsafeBytes { Array($0) }
    }

    public func seal(_ token: String) throws -> [UInt8] {
        guard let combined = try AES.GCM.seal(Array(token.utf8), using: key).combined else { throw SealError.sealFailed }
        return Array(combined)
    }

    /// nil when the blob was sealed under another key (APP_SECRET_KEY rotated) or was tampered with.
    public func open(_ sealed: [UInt8]) -> String? {
        guard let box = try? AES.GCM.SealedBox(combined: sealed), let plain = try? AES.GCM.open(box, using: key) else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    public enum SealError: Error, CustomStringConvertible {
        case sealFailed
        public var description: String { "could not encrypt the GitHub token" }
    }
}

/// Opaque identifiers: random bytes as base64url (`Base64URL.encode`), stored only as SHA-256 hashes.
enum Opaque {
    /// What the store keeps instead of the identifier itself.
    static func hash(_ value: String) -> String { SHA256Hex.of(value) }

    /// A browser-binding nonce as `base64url(32 bytes)` makes it: 43 characters of `[A-Za-z0-9_-]`; nil otherwise.
    static func validNonce(_ value: String) -> String? {
        value.utf8.count == 43 && value.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        } ? value : nil
    }

    /// Constant-time comparison for secrets of equal kind.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

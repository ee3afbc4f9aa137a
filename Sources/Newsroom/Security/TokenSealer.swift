import Foundation
import Crypto
import Storage

/// Seals GitHub tokens at rest with AES-GCM, one key per kind of token, each derived (HKDF-SHA256) from
/// APP_SECRET_KEY. The associated data names the token's kind and its session row (the row key `idHash`), so a
/// ciphertext copied into another row, or from one token column into the other, does not open.
///
/// Tokens sealed by the earlier format (one key, no associated data) no longer open: `open` returns nil, which
/// SessionManager treats as a revoked token, so such a session ends at its next membership re-check. Sessions
/// are short-lived and the app is pre-1.0, so there is no migration.
public struct TokenSealer: Sendable {
    public enum TokenKind: String, Sendable, CaseIterable {
        case access, refresh
    }

    /// Derived key bytes per kind (SymmetricKey itself is not Sendable).
    private let accessKey: [UInt8]
    private let refreshKey: [UInt8]

    public init(secret: [UInt8]) {
        func derive(_ kind: TokenKind) -> [UInt8] {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: secret), salt: Array("newsroom".utf8),
                                   info: Array("github-\(kind.rawValue)-token-v2".utf8), outputByteCount: 32)
                .withUnsafeBytes { Array($0) }
        }
        accessKey = derive(.access)
        refreshKey = derive(.refresh)
    }

    public func seal(_ token: String, kind: TokenKind, session idHash: String) throws -> [UInt8] {
        guard let combined = try AES.GCM.seal(Array(token.utf8), using: key(kind),
                                              authenticating: Self.associatedData(kind, idHash)).combined else { throw SealError.sealFailed }
        return Array(combined)
    }

    /// nil when the blob was sealed under another key (APP_SECRET_KEY rotated, the other kind, the old format),
    /// for another session row, or was tampered with.
    public func open(_ sealed: [UInt8], kind: TokenKind, session idHash: String) -> String? {
        guard let box = try? AES.GCM.SealedBox(combined: sealed),
              let plain = try? AES.GCM.open(box, using: key(kind), authenticating: Self.associatedData(kind, idHash)) else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    private func key(_ kind: TokenKind) -> SymmetricKey {
        SymmetricKey(data: kind == .access ? accessKey : refreshKey)
    }

    /// `v2|kind|idHash`: the kind comes from a fixed set without `|`, so no two (kind, row) pairs share bytes.
    private static func associatedData(_ kind: TokenKind, _ idHash: String) -> [UInt8] {
        Array("v2|\(kind.rawValue)|\(idHash)".utf8)
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

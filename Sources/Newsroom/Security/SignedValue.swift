import Foundation
import Crypto
import GitHub

/// A small value the server hands the browser to give back once (why a sign-in was refused), signed with
/// HMAC-SHA256 under a key derived from APP_SECRET_KEY for that one purpose: a page built from it can only
/// say what this server wrote, and only until `expires`.
struct SignedValue<Payload: Codable>: Sendable {
    private let keyBytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    init(secret: [UInt8], purpose: String) {
        let derived = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: secret),
                                             info: Data("newsroom signed value: \(purpose)".utf8), outputByteCount: 32)
        keyBytes = derived.withUnsafeBytes { Array($0) }
    }

    private struct Envelope: Codable {
        var payload: Payload
        var expires: Date
    }

    func sign(_ payload: Payload, expires: Date) -> String {
        let body = (try? JSONEncoder().encode(Envelope(payload: payload, expires: expires))).map(Array.init) ?? []
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: key)
        return Base64URL.encode(body) + "." + Base64URL.encode(Array(mac))
    }

    /// The payload, if this server signed it and it has not expired at `now`.
    func verify(_ value: String, now: Date) -> Payload? {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard value.utf8.count <= 4096, parts.count == 2,
              let body = Base64URL.decode(String(parts[0])), let mac = Base64URL.decode(String(parts[1])),
              HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: key),
              let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(body)), now < envelope.expires
        else { return nil }
        return envelope.payload
    }
}

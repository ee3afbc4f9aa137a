import Crypto

/// Lowercase hex SHA-256 of text: the form content dedupe keys and stored session-id hashes take.
public enum SHA256Hex {
    /// Built from a byte table, not a `String(format:)` per byte: session lookups run it on every page view.
    public static func of(_ text: String) -> String {
        var hex: [UInt8] = []
        hex.reserveCapacity(2 * SHA256.byteCount)
        for byte in SHA256.hash(data: Array(text.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private static let digits = Array("0123456789abcdef".utf8)
}

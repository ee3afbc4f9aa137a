import Foundation

/// RFC 4648 §5 base64url without padding: the form of PKCE verifiers and challenges, OAuth states, and the
/// app's other opaque tokens (session ids, CSRF tokens), which may all travel in URLs and cookies unescaped.
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

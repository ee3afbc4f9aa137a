import Foundation

/// `next=` after sign-in: only a local path survives; anything else becomes "/" (spec §7 item 11).
public enum SafeRedirect {
    /// oauth2-proxy's rule, unanchored like theirs: a slash or backslash, optional whitespace or one/two dots,
    /// then another slash or backslash, anywhere in the path (`//`, `/./`, `/../`, `/\`, `/\t/`).
    static let slashTrick = #"[/\\](?:[\s\v]*|\.{1,2})[/\\]"#

    /// Longer `next` values fall back to "/": each is stored with its sign-in attempt, so an anonymous request
    /// must not be able to make that row large.
    public static let maxBytes = 512

    public static func localPath(_ raw: String?) -> String {
        guard let raw, !raw.isEmpty, raw.utf8.count <= maxBytes else { return "/" }
        // Judge every decoding a browser, proxy or later hop might apply (%2f%2f, %5c, double encoding);
        // malformed or endlessly nested escapes are refused outright.
        var candidates = [raw]
        var decoded = raw
        for round in 0...3 {
            guard let next = decoded.removingPercentEncoding else { return "/" }
            if next == decoded { break }
            if round == 3 { return "/" }
            decoded = next
            candidates.append(decoded)
        }
        for candidate in candidates where !isPlainLocalPath(candidate) { return "/" }
        return asciiOnly(raw)
    }

    private static func isPlainLocalPath(_ candidate: String) -> Bool {
        guard candidate.hasPrefix("/") else { return false }
        let forbidden = candidate.unicodeScalars.contains { scalar in
            scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value) || scalar == "\\" || scalar.properties.isWhitespace
                || scalar.properties.generalCategory == .format
        }
        if forbidden { return false }
        return candidate.range(of: slashTrick, options: .regularExpression) == nil
    }

    /// Location headers stay ASCII: anything else is percent-encoded (it was already judged safe above).
    private static func asciiOnly(_ path: String) -> String {
        guard !path.unicodeScalars.allSatisfy(\.isASCII) else { return path }
        var result = ""
        for scalar in path.unicodeScalars {
            if scalar.isASCII { result.unicodeScalars.append(scalar) } else {
                for byte in String(scalar).utf8 { result += String(format: "%%%02X", byte) }
            }
        }
        return result
    }
}

import Foundation

/// `next=` after sign-in: only a local path survives; anything else becomes "/" (spec §7 item 11).
public enum SafeRedirect {
    public static func localPath(_ raw: String?) -> String {
        guard let raw, !raw.isEmpty, raw.utf8.count <= 2048 else { return "/" }
        // Decode repeatedly so %2f%2f, %5c and double-encoded variants are judged by what a browser would follow.
        var decoded = raw
        for _ in 0..<3 {
            guard let next = decoded.removingPercentEncoding, next != decoded else { break }
            decoded = next
        }
        for candidate in [raw, decoded] {
            guard candidate.hasPrefix("/") else { return "/" }
            if candidate.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f || $0 == "\\" || ($0.properties.isWhitespace) }) { return "/" }
            let second = candidate.dropFirst().first
            if second == "/" || second == "\\" { return "/" }
            // Browsers skip tabs/newlines and treat "/." segments loosely; refuse "/./" or "/../" tricks leading to "//".
            if candidate.range(of: #"^[/\\](?:[\s\v]*|\.{1,2})[/\\]"#, options: .regularExpression) != nil { return "/" }
        }
        return raw
    }
}

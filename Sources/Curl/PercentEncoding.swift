import Foundation

/// Percent-encoding for the parts of URLs we build (query names and values, form bodies, path segments).
/// One rule everywhere: only RFC 3986 unreserved characters stay as they are; everything else, non-ASCII
/// as UTF-8 bytes, becomes `%XX`.
public enum PercentEncoding {
    /// `A–Z a–z 0–9 - . _ ~`: safe in any URL component, so a value can never end its component early.
    public static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// `value` with everything outside `unreserved` (plus `keeping`, for a caller that wants e.g. a path's
    /// slashes to stay readable) escaped.
    public static func encode(_ value: String, keeping: String = "") -> String {
        let allowed = keeping.isEmpty ? unreserved : unreserved.union(CharacterSet(charactersIn: keeping))
        // Never nil: a Swift String is always valid Unicode.
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// One path segment; `.` and `..` are escaped too so no one can climb out of a base path.
    public static func encodeSegment(_ value: String) -> String {
        value == "." || value == ".." ? String(repeating: "%2E", count: value.count) : encode(value)
    }

    /// `a=1&b=2` with every name and value encoded; order kept.
    public static func formEncode(_ pairs: [(String, String)]) -> String {
        pairs.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}

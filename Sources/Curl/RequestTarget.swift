import Foundation

/// The scheme and host of a request URL, checked before curl sees it.
struct RequestTarget {
    let scheme: String
    let host: String
    /// Scheme, host and port, lowercased; transfers with the same key share the per-host cap.
    let hostKey: String

    static let supportedSchemes: Set<String> = ["http", "https", "file"]

    init(url: String) throws(CurlError) {
        guard !url.isEmpty, !url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else { throw .invalidURL }
        guard let colon = url.firstIndex(of: ":"), url[colon...].hasPrefix("://") else { throw .invalidURL }
        let scheme = url[..<colon].lowercased()
        guard let first = scheme.first, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { throw .invalidURL }
        guard Self.supportedSchemes.contains(scheme) else { throw .unsupportedScheme(scheme) }
        let afterScheme = url[url.index(colon, offsetBy: 3)...]
        var authority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let host: Substring
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = authority[...close]
        } else {
            host = authority.prefix { $0 != ":" }
        }
        if scheme != "file" && host.isEmpty { throw .invalidURL }
        self.scheme = scheme
        self.host = String(host)
        self.hostKey = scheme + "://" + authority.lowercased()
    }
}

import Foundation

/// Redirect-URI matching rules from spec §1.
enum RedirectMatcher {
    static func matches(_ candidate: String, callback: String, mode: RedirectMode) -> Bool {
        switch mode {
        case .exact:
            return candidate == callback
        case .legacyPrefix:
            guard let c = URLComponents(string: candidate), let r = URLComponents(string: callback),
                  c.scheme == r.scheme, let ch = c.host?.lowercased(), let rh = r.host?.lowercased(),
                  c.fragment == nil, c.user == nil, c.password == nil else { return false }
            let loopback = rh == "127.0.0.1" || rh == "localhost" || rh == "[::1]" || rh == "::1"
            guard ch == rh || (!loopback && ch.hasSuffix("." + rh)) else { return false }
            guard loopback || c.port == r.port else { return false }
            let base = r.path.hasSuffix("/") ? String(r.path.dropLast()) : r.path
            return c.path == r.path || c.path == base || c.path.hasPrefix(base + "/") && !c.path.contains("/../") && !c.path.hasSuffix("/..")
        }
    }
}

import CCurl

/// Which addresses a request may open connections to. Checked on every connection curl is about to use,
/// redirects and fresh DNS answers included, so neither a redirect nor DNS rebinding can get around it.
public enum ConnectPolicy: Sendable, Equatable {
    /// Connect anywhere (the GitHub client, tests).
    case anyAddress
    /// Connect only to globally reachable addresses, except while the URL being fetched names the same host as
    /// `exceptHostOf` (any port): the operator chose that host, e.g. a feed served on the local network.
    case publicAddressesOnly(exceptHostOf: String?)
}

/// Applies a `publicAddressesOnly` policy to one transfer's connections. Runs on the transfer thread.
struct ConnectGuard {
    /// The exempt host as curl normalizes it (lowercased, IPv6 in brackets); nil when no host is exempt.
    let trustedHost: String?

    /// nil for `.anyAddress`: nothing to check.
    init?(policy: ConnectPolicy) {
        guard case .publicAddressesOnly(let exceptHostOf) = policy else { return nil }
        // A URL curl cannot parse exempts nothing (fail closed).
        trustedHost = exceptHostOf.flatMap(Self.host(ofURL:))
    }

    /// `address` is what the connection goes to (nil when it is not IPv4/IPv6); `url` the URL it is for.
    func permits(_ address: NetworkAddress?, forURL url: String?) -> Bool {
        if let address, address.isGloballyReachable { return true }
        guard let trustedHost, let url, let host = Self.host(ofURL: url) else { return false }
        return host == trustedHost
    }

    /// The host of `url` exactly as curl reads it, so both sides of the comparison are normalized the same way
    /// (case, IPv4 shorthand such as 127.1, IPv6 spelling).
    static func host(ofURL url: String) -> String? {
        guard let handle = curl_url() else { return nil }
        defer { curl_url_cleanup(handle) }
        guard curl_url_set(handle, CURLUPART_URL, url, 0) == CURLUE_OK else { return nil }
        var host: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, CURLUPART_HOST, &host, 0) == CURLUE_OK, let host else { return nil }
        defer { curl_free(host) }
        let text = String(cString: host).lowercased()
        return text.isEmpty ? nil : text
    }
}

import Foundation
import HTTPTypes
import Curl

/// Who a request comes from, for per-client limits. The TCP peer, unless the peer is a proxy the operator
/// trusts (loopback always, plus `NEWSROOM_TRUSTED_PROXIES`): then `X-Forwarded-For` is read from the right,
/// skipping trusted hops, so a client cannot pick its own key by sending the header itself.
public struct ClientAddress: Sendable {
    let trustedProxies: [NetworkRange]
    public static let forwardedForHeader = HTTPField.Name("X-Forwarded-For")!

    /// - Parameter trustedProxies: addresses or CIDR ranges whose `X-Forwarded-For` is believed, besides loopback.
    public init(trustedProxies: [NetworkRange] = []) {
        self.trustedProxies = [NetworkRange("127.0.0.0/8")!, NetworkRange("::1")!, NetworkRange("::ffff:127.0.0.0/104")!] + trustedProxies
    }

    /// The limiter's key: an IPv4 address, or an IPv6 /64 (one household or server usually holds a whole /64).
    /// "unknown" when there is no peer address (requests that did not come over a socket).
    public func key(peer: String?, forwardedFor: [String]) -> String {
        guard let peer, var hop = NetworkAddress(peerText: peer) else { return "unknown" }
        let forwarded = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for entry in forwarded.reversed() {
            guard isTrusted(hop), let next = NetworkAddress(peerText: entry) else { break }
            hop = next
        }
        return hop.limiterKey
    }

    func isTrusted(_ address: NetworkAddress) -> Bool { trustedProxies.contains { $0.contains(address) } }
}

extension NetworkAddress {
    /// Peers and headers spell IPv6 with brackets and zone ids too (`[fe80::1%eth0]`).
    init?(peerText text: String) {
        var text = text
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        self.init(text)
    }

    var limiterKey: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        // An IPv4-mapped IPv6 peer (`::ffff:a.b.c.d`) is that IPv4 client.
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return bytes[12...].map(String.init).joined(separator: ".")
        }
        return stride(from: 0, to: 8, by: 2).map { String(format: "%02x%02x", bytes[$0], bytes[$0 + 1]) }.joined(separator: ":") + "::/64"
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address, and which part of the address space it falls in: what the connect guard decides on.
public struct NetworkAddress: Sendable, Hashable {
    /// 4 bytes (IPv4) or 16 (IPv6), network order.
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Dotted IPv4 or IPv6 text as `inet_pton` reads it (no brackets, no zone id).
    public init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        self.bytes = withUnsafeBytes(of: &v6) { Array($0) }
    }

    /// Whether anyone on the internet could reach this address; everything else is someone's internal network.
    public var isGloballyReachable: Bool { scope == .global }

    public var scope: AddressScope {
        bytes.count == 4 ? Self.scope(ipv4: bytes) : Self.scope(ipv6: bytes)
    }

    /// IANA's IPv4 special-purpose registry entries that are not globally reachable, plus multicast and 240/4.
    private static func scope(ipv4 b: [UInt8]) -> AddressScope {
        func within(_ prefix: [UInt8], _ bits: Int) -> Bool { matches(b, prefix, bits) }
        if within([0], 8) { return .unspecified }  // "this network": Linux connects 0.0.0.0 to the local host
        if within([127], 8) { return .loopback }
        if within([10], 8) || within([172, 16], 12) || within([192, 168], 16) { return .privateNetwork }
        if within([100, 64], 10) { return .sharedAddressSpace }
        if within([169, 254], 16) { return .linkLocal }
        if within([224], 4) { return .multicast }
        if within([255, 255, 255, 255], 32) { return .broadcast }
        if within([240], 4) { return .reserved }  // future use
        if within([192, 0, 0], 24) { return .reserved }  // IETF protocol assignments
        if within([192, 0, 2], 24) || within([198, 51, 100], 24) || within([203, 0, 113], 24) { return .reserved }  // documentation
        if within([198, 18], 15) { return .reserved }  // benchmarking
        return .global
    }

    /// Only global unicast (2000::/3) is reachable, minus its special blocks; IPv6 forms that carry an IPv4
    /// address (mapped, NAT64, 6to4) are judged by that address, since that is where the packets end up.
    private static func scope(ipv6 b: [UInt8]) -> AddressScope {
        func within(_ prefix: [UInt8], _ bits: Int) -> Bool { matches(b, prefix, bits) }
        if b.allSatisfy({ $0 == 0 }) { return .unspecified }
        if b == [UInt8](repeating: 0, count: 15) + [1] { return .loopback }
        if within([UInt8](repeating: 0, count: 10) + [0xFF, 0xFF], 96) { return scope(ipv4: Array(b[12...])) }  // ::ffff:a.b.c.d
        if within([0x00, 0x64, 0xFF, 0x9B] + [UInt8](repeating: 0, count: 8), 96) { return scope(ipv4: Array(b[12...])) }  // 64:ff9b::/96
        if within([0x20, 0x02], 16) { return scope(ipv4: Array(b[2..<6])) }  // 6to4
        if within([0xFF], 8) { return .multicast }
        if within([0xFE, 0x80], 10) { return .linkLocal }
        if within([0xFC], 7) || within([0xFE, 0xC0], 10) { return .privateNetwork }  // unique local; deprecated site-local
        guard within([0x20], 3) else { return .reserved }  // IPv4-compatible, discard-only, local NAT64, unassigned…
        if within([0x20, 0x01, 0x0D, 0xB8], 32) || within([0x3F, 0xFF], 20) { return .reserved }  // documentation
        if within([0x20, 0x01], 23) { return .reserved }  // IETF protocol assignments: Teredo, benchmarking, ORCHID
        return .global
    }

    static func matches(_ bytes: [UInt8], _ prefix: [UInt8], _ bits: Int) -> Bool {
        for bit in 0..<bits {
            let index = bit / 8, mask = UInt8(0x80) >> UInt8(bit % 8)
            let wanted = index < prefix.count ? prefix[index] & mask : 0
            if bytes[index] & mask != wanted { return false }
        }
        return true
    }
}

/// Where an address sits. Only `.global` is reachable from the internet; the rest belong to a host or a private network.
public enum AddressScope: Sendable, Equatable {
    case global
    /// 127.0.0.0/8, ::1.
    case loopback
    /// RFC 1918, IPv6 unique local (fc00::/7) and deprecated site-local (fec0::/10).
    case privateNetwork
    /// 100.64.0.0/10, carrier-grade NAT.
    case sharedAddressSpace
    /// 169.254.0.0/16 (cloud metadata lives here), fe80::/10.
    case linkLocal
    /// 0.0.0.0/8, ::.
    case unspecified
    case multicast
    case broadcast
    /// Documentation, benchmarking, protocol-assignment and future-use space: never a publisher's server.
    case reserved
}

/// An address or CIDR range (`10.0.0.0/8`, `fd00::/8`, `192.0.2.7`), e.g. the proxies an operator trusts.
public struct NetworkRange: Sendable, Equatable {
    public let network: NetworkAddress
    public let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let network = NetworkAddress(String(parts[0])) else { return nil }
        let maxLength = network.bytes.count * 8
        if parts.count == 2 {
            guard parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let length = Int(parts[1]), length <= maxLength else { return nil }
            prefixLength = length
        } else {
            prefixLength = maxLength
        }
        self.network = network
    }

    /// Same family and the same first `prefixLength` bits (an IPv4 range never holds an IPv6 address, mapped or not).
    public func contains(_ address: NetworkAddress) -> Bool {
        address.bytes.count == network.bytes.count && NetworkAddress.matches(address.bytes, network.bytes, prefixLength)
    }
}

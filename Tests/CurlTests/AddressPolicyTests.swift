@testable import Curl
import Testing

/// The pure part of the connect guard: which addresses count as public, and how hosts are compared.
@Suite("Address policy")
struct AddressPolicyTests {
    @Test(arguments: [
        // IPv4: loopback (all of 127/8), "this network", RFC 1918, CGNAT, link-local (cloud metadata)
        ("127.0.0.1", AddressScope.loopback), ("127.255.255.254", .loopback), ("127.1.2.3", .loopback),
        ("0.0.0.0", .unspecified), ("0.1.2.3", .unspecified),
        ("10.0.0.1", .privateNetwork), ("10.255.255.255", .privateNetwork), ("172.16.0.1", .privateNetwork),
        ("172.31.255.255", .privateNetwork), ("192.168.0.1", .privateNetwork), ("192.168.255.255", .privateNetwork),
        ("100.64.0.1", .sharedAddressSpace), ("100.127.255.255", .sharedAddressSpace),
        ("169.254.169.254", .linkLocal), ("169.254.0.1", .linkLocal),
        ("224.0.0.1", .multicast), ("239.255.255.250", .multicast), ("255.255.255.255", .broadcast),
        ("240.0.0.1", .reserved), ("192.0.0.8", .reserved), ("192.0.2.1", .reserved), ("198.51.100.7", .reserved),
        ("203.0.113.9", .reserved), ("198.18.0.1", .reserved), ("198.19.255.255", .reserved),
        // IPv6: unspecified, loopback, IPv4 carried inside IPv6, unique local, link-local, site-local, multicast
        ("::", .unspecified), ("::1", .loopback), ("::ffff:127.0.0.1", .loopback), ("::ffff:7f00:1", .loopback),
        ("::ffff:10.1.2.3", .privateNetwork), ("::ffff:169.254.169.254", .linkLocal), ("::ffff:0.0.0.0", .unspecified),
        ("64:ff9b::7f00:1", .loopback), ("64:ff9b::a9fe:a9fe", .linkLocal), ("2002:7f00:1::1", .loopback),
        ("2002:c0a8:101::1", .privateNetwork),
        ("fc00::1", .privateNetwork), ("fd12:3456:789a::1", .privateNetwork), ("fec0::1", .privateNetwork),
        ("fe80::1", .linkLocal), ("febf:ffff::1", .linkLocal), ("ff02::1", .multicast), ("ff0e::1", .multicast),
        ("::127.0.0.1", .reserved), ("100::1", .reserved), ("64:ff9b:1::1", .reserved), ("2001:db8::1", .reserved),
        ("2001::1", .reserved), ("2001:2::1", .reserved), ("3fff::1", .reserved), ("4000::1", .reserved),
    ] as [(String, AddressScope)])
    func nonPublicAddressIsRefused(text: String, scope: AddressScope) throws {
        let address = try #require(NetworkAddress(text))
        #expect(address.scope == scope)
        #expect(!address.isGloballyReachable)
    }

    @Test(arguments: [
        "8.8.8.8", "1.1.1.1", "151.101.0.81", "11.0.0.1", "126.255.255.255", "128.0.0.1",
        // Just outside each blocked IPv4 range.
        "9.255.255.255", "172.15.255.255", "172.32.0.1", "192.167.255.255", "192.169.0.1", "100.63.255.255",
        "100.128.0.1", "169.253.255.255", "169.255.0.1", "198.17.255.255", "198.20.0.1", "192.0.1.1", "192.0.3.1",
        "223.255.255.255", "1.0.0.0",
        // IPv6 global unicast, and public IPv4 carried inside IPv6.
        "2a00:1450:4001:80b::200e", "2606:4700::6810:84e5", "2001:200::1", "2003::1", "3ffe::1",
        "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1",
    ])
    func publicAddressIsAllowed(text: String) throws {
        let address = try #require(NetworkAddress(text))
        #expect(address.scope == .global)
        #expect(address.isGloballyReachable)
    }

    @Test(arguments: ["", "localhost", "127.1", "256.0.0.1", "[::1]", "fe80::1%eth0", "1.2.3.4 ", "::ffff:1.2.3"])
    func textThatIsNotAnAddressIsNotParsed(text: String) {
        #expect(NetworkAddress(text) == nil)
    }

    @Test func onlyFourOrSixteenBytesMakeAnAddress() {
        #expect(NetworkAddress(bytes: []) == nil)
        #expect(NetworkAddress(bytes: [127, 0, 0]) == nil)
        #expect(NetworkAddress(bytes: [127, 0, 0, 1])?.scope == .loopback)
        #expect(NetworkAddress(bytes: [UInt8](repeating: 0, count: 15) + [1])?.scope == .loopback)
    }

    @Test func hostsAreComparedAsCurlNormalizesThem() {
        #expect(ConnectGuard.host(ofURL: "http://LocalHost:8080/feed") == "localhost")
        #expect(ConnectGuard.host(ofURL: "http://127.1/feed") == "127.0.0.1")
        #expect(ConnectGuard.host(ofURL: "http://[0:0::1]:81/") == ConnectGuard.host(ofURL: "http://[::1]/"))
        #expect(ConnectGuard.host(ofURL: "https://user:pw@feeds.example.org/rss?q=1") == "feeds.example.org")
        #expect(ConnectGuard.host(ofURL: "not a url") == nil)
    }

    @Test func guardAllowsPublicAddressesAndTheTrustedHostOnly() throws {
        let loopback = NetworkAddress("127.0.0.1"), metadata = NetworkAddress("169.254.169.254"), public_ = NetworkAddress("93.184.215.14")
        let trusting = try #require(ConnectGuard(policy: .publicAddressesOnly(exceptHostOf: "http://127.0.0.1:8080/feed")))
        #expect(trusting.permits(public_, forURL: "https://example.org/"))
        // The trusted host is a name, so any port on it is the operator's; any other name is not.
        #expect(trusting.permits(loopback, forURL: "http://127.0.0.1:9000/other"))
        #expect(!trusting.permits(loopback, forURL: "http://localhost:8080/feed"))
        #expect(!trusting.permits(metadata, forURL: "http://169.254.169.254/latest/meta-data/"))
        // An address the guard cannot read is refused unless the host is trusted.
        #expect(!trusting.permits(nil, forURL: "http://elsewhere.example/"))
        #expect(trusting.permits(nil, forURL: "http://127.0.0.1/"))

        let strict = try #require(ConnectGuard(policy: .publicAddressesOnly(exceptHostOf: nil)))
        #expect(!strict.permits(loopback, forURL: "http://127.0.0.1:8080/feed"))
        #expect(strict.permits(public_, forURL: nil))
        // A configured URL curl cannot parse exempts nothing.
        let unparsable = try #require(ConnectGuard(policy: .publicAddressesOnly(exceptHostOf: "::nonsense")))
        #expect(unparsable.trustedHost == nil)
        #expect(!unparsable.permits(loopback, forURL: "http://127.0.0.1/"))

        #expect(ConnectGuard(policy: .anyAddress) == nil)
    }

    @Test func blockedAddressMessageNamesNoAddressOrPort() {
        #expect(CurlError.blockedAddress.description == "blocked: private address")
    }
}

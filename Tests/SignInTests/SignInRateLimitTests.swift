import Foundation
import Testing
import AppTestSupport
import Storage
import Curl
@testable import Newsroom

/// Unauthenticated sign-in requests have a bounded cost (issue 9 item 2): per-client token buckets on `/login`
/// and the callback, and a cap on sign-ins in progress.
@Suite struct SignInRateLimitTests {
    static let start = AppHarness.clockStart

    @Test func aBucketAllowsItsBurstThenRefillsAtItsRate() {
        let limiter = SignInRateLimiter(limits: .init(burst: 3, refillPerSecond: 0.5, maxClients: 10))
        for _ in 0..<3 { #expect(limiter.spend(client: "a", now: Self.start) == .allowed) }
        #expect(limiter.spend(client: "a", now: Self.start) == .limited(retryAfter: 2))
        // Another client has its own bucket.
        #expect(limiter.spend(client: "b", now: Self.start) == .allowed)
        // One token back after 2 s, and only one.
        let later = Self.start.addingTimeInterval(2)
        #expect(limiter.spend(client: "a", now: later) == .allowed)
        #expect(limiter.spend(client: "a", now: later) == .limited(retryAfter: 2))
        // Refused requests spend nothing: half a token later, a full one after 1 s more.
        #expect(limiter.spend(client: "a", now: later.addingTimeInterval(1)) == .limited(retryAfter: 1))
        #expect(limiter.spend(client: "a", now: later.addingTimeInterval(2)) == .allowed)
    }

    @Test func aClockThatGoesBackRefillsNothing() {
        let limiter = SignInRateLimiter(limits: .init(burst: 1, refillPerSecond: 1, maxClients: 10))
        #expect(limiter.spend(client: "a", now: Self.start) == .allowed)
        #expect(limiter.spend(client: "a", now: Self.start.addingTimeInterval(-3600)) == .limited(retryAfter: 1))
        #expect(limiter.spend(client: "a", now: Self.start) == .limited(retryAfter: 1))
    }

    @Test func manyClientsKeepAtMostTheBoundOfBuckets() {
        let limiter = SignInRateLimiter(limits: .init(burst: 1, refillPerSecond: 1, maxClients: 100))
        for i in 0..<1_000 { _ = limiter.spend(client: "10.0.\(i / 256).\(i % 256)", now: Self.start.addingTimeInterval(Double(i))) }
        #expect(limiter.clientCount <= 100)
        // The most recent client kept its (spent) bucket.
        #expect(limiter.spend(client: "10.0.3.231", now: Self.start.addingTimeInterval(999)) != .allowed)
    }

    @Test func theClientIsThePeerUnlessATrustedProxyForwardedIt() {
        let clients = ClientAddress(trustedProxies: [NetworkRange("10.0.0.0/8")!])
        // A direct client cannot choose its key by sending the header.
        #expect(clients.key(peer: "203.0.113.9", forwardedFor: ["198.51.100.1"]) == "203.0.113.9")
        // Loopback and configured proxies are believed, read from the right, skipping trusted hops.
        #expect(clients.key(peer: "127.0.0.1", forwardedFor: ["198.51.100.1"]) == "198.51.100.1")
        #expect(clients.key(peer: "10.1.2.3", forwardedFor: ["1.2.3.4, 198.51.100.1, 10.9.9.9"]) == "198.51.100.1")
        #expect(clients.key(peer: "10.1.2.3", forwardedFor: ["1.2.3.4", "198.51.100.1"]) == "198.51.100.1")
        // Garbage in the header stops the walk at the last hop that was an address.
        #expect(clients.key(peer: "127.0.0.1", forwardedFor: ["not-an-ip"]) == "127.0.0.1")
        #expect(clients.key(peer: "127.0.0.1", forwardedFor: ["1.2.3.4, <script>"]) == "127.0.0.1")
        #expect(clients.key(peer: "127.0.0.1", forwardedFor: [String(repeating: "9", count: 10_000)]) == "127.0.0.1")
        #expect(clients.key(peer: "127.0.0.1", forwardedFor: []) == "127.0.0.1")
        // IPv6 clients are grouped by /64; an IPv4-mapped peer is its IPv4 address.
        #expect(clients.key(peer: "2001:db8:1:2:aaaa::1", forwardedFor: []) == "2001:0db8:0001:0002::/64")
        #expect(clients.key(peer: "2001:db8:1:2:bbbb::7", forwardedFor: []) == "2001:0db8:0001:0002::/64")
        #expect(clients.key(peer: "::ffff:198.51.100.4", forwardedFor: []) == "198.51.100.4")
        #expect(clients.key(peer: "::1", forwardedFor: ["[2001:db8::5]"]) == "2001:0db8:0000:0000::/64")
        #expect(clients.key(peer: nil, forwardedFor: ["198.51.100.1"]) == "unknown")
    }

    @Test func trustedProxyRangesParseOrAreRefused() async throws {
        #expect(NetworkRange("10.0.0.0/8")?.contains(NetworkAddress("10.200.1.1")!) == true)
        #expect(NetworkRange("10.0.0.0/8")?.contains(NetworkAddress("11.0.0.1")!) == false)
        #expect(NetworkRange("fd00::/8")?.contains(NetworkAddress("fd12::1")!) == true)
        #expect(NetworkRange("fd00::/8")?.contains(NetworkAddress("10.0.0.1")!) == false)
        #expect(NetworkRange("192.0.2.7")?.contains(NetworkAddress("192.0.2.8")!) == false)
        #expect(NetworkRange("172.16.0.0/12")?.contains(NetworkAddress("172.31.255.255")!) == true)
        #expect(NetworkRange("172.16.0.0/12")?.contains(NetworkAddress("172.32.0.0")!) == false)
        for bad in ["", "10.0.0.0/33", "10.0.0.0/-1", "::/129", "10.0.0.0/8/8", "example.com", "10.0.0.0/", "10.0.0.0/٨", "1.2.3"] {
            #expect(NetworkRange(bad) == nil, "\(bad) parsed")
        }
        #expect(throws: ConfigError.invalidTrustedProxy("10.0.0.0/33")) { try ConfigResolver.proxyRanges("10.0.0.0/8, 10.0.0.0/33") }
        #expect(try ConfigResolver.proxyRanges(" 10.0.0.0/8 ,, fd00::/8 ").count == 2)
        #expect(try ConfigResolver.proxyRanges(nil).isEmpty)
    }

    @Test func pendingSignInsAreCappedOldestFirst() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("newsroom-attempts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try SQLiteStore(path: folder + "/db.sqlite")
        // The same instant for all (a frozen clock): insertion order decides which are oldest.
        for i in 0..<10 {
            try await store.createLoginAttempt(LoginAttemptRecord(
                stateHash: "state-\(i)", browserBindingHash: "b", pkceVerifier: nil, nextPath: "/", createdAt: Self.start,
                expiresAt: Self.start.addingTimeInterval(600)), maxPending: 4)
        }
        for i in 0..<6 { #expect(try await store.takeLoginAttempt(stateHash: "state-\(i)") == nil, "state-\(i) was kept") }
        for i in 6..<10 { #expect(try await store.takeLoginAttempt(stateHash: "state-\(i)") != nil, "state-\(i) was dropped") }
    }

    /// The review's reproduction: 3 000 `GET /login` with a 2 KB `next=` from one client. Once its burst is spent
    /// it gets 429 with Retry-After, the database barely grows, and a person on another address signs in meanwhile.
    @Test func aFloodOfSignInsFromOneClientIsRefusedWhileOthersSignIn() async throws {
        try await AppHarness.run(mode: .live, configure: { $0.signInLimits = .default }) { h in
            let flooder = h.browser()
            let attacker = [(name: "X-Forwarded-For", value: "203.0.113.5")]
            let next = "/news/" + String(repeating: "a", count: 2_048)
            func databaseBytes() -> Int {
                [h.config.databasePath, h.config.databasePath + "-wal"].reduce(0) { sum, path in
                    sum + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
                }
            }
            let before = databaseBytes()
            var statuses: [Int: Int] = [:]
            var retryAfter: Set<String> = []
            for i in 0..<3_000 {
                let page = try await flooder.get("/login?next=" + next, headers: attacker)
                statuses[page.status, default: 0] += 1
                if page.status == 429 { retryAfter.insert(page.header("Retry-After") ?? "") }
                if i == 1_500 {
                    // A member on another address is not held back by the flood.
                    let member = h.browser()
                    let landed = try await h.signIn(member, as: 1)
                    #expect(landed.status == 302 && landed.location == "/", "the member could not sign in: \(landed.status)")
                }
            }
            #expect(statuses[302] == 30, "\(statuses)")
            #expect(statuses[429] == 2_970, "\(statuses)")
            #expect(retryAfter.allSatisfy { Int($0).map { $0 >= 1 } == true }, "\(retryAfter)")
            let grown = databaseBytes() - before
            #expect(grown < 1_000_000, "the database grew by \(grown) bytes")
            // The callback is limited the same way, before the state is even looked up.
            let callback = try await flooder.get(h.callbackURL([("code", "x"), ("state", "y")]), headers: attacker)
            #expect(callback.status == 429 && callback.header("Retry-After") != nil)
            #expect(h.logs.allText.contains("sign-in rate limited"))
            // Time heals: after the refill interval the client may try again.
            h.clock.advance(by: 2)
            #expect(try await flooder.get("/login", headers: attacker).status == 302)
        }
    }
}

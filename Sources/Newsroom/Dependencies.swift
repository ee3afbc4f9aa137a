import Foundation
import Curl
import GitHub

/// The effects the app reaches for, passed in so tests can swap them (STYLE: effects as small values).
public struct AppDependencies: Sendable {
    /// Wall-clock time; tests move it to exercise timeouts and schedules.
    public var now: @Sendable () -> Date
    /// A number in [0, 1) for backoff jitter.
    public var jitter: @Sendable () -> Double
    /// Random bytes for session ids, states and CSRF tokens (a CSPRNG live).
    public var randomBytes: @Sendable (Int) -> [UInt8]
    public var http: CurlTransport

    public init(now: @escaping @Sendable () -> Date, jitter: @escaping @Sendable () -> Double,
                randomBytes: @escaping @Sendable (Int) -> [UInt8], http: @escaping CurlTransport) {
        self.now = now
        self.jitter = jitter
        self.randomBytes = randomBytes
        self.http = http
    }

    /// Real clock, system CSPRNG, and a libcurl client.
    public static func live(client: CurlClient) -> AppDependencies {
        AppDependencies(
            now: { Date() },
            jitter: { Double.random(in: 0..<1) },
            randomBytes: SystemRandom.bytes,
            http: { request throws(CurlError) in try await client.send(request) })
    }
}

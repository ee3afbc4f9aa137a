import HummingbirdCore
import Logging
import NIOCore

/// What one client may hold of the server (security review, issue 9 item 4): how long it may take to send a
/// request or stay idle, how many connections are served at once, how large a body may be.
enum ConnectionLimits {
    /// HTTP/1 with Hummingbird's idle timeout (cuts an unfinished head and a stalled body, and idle keep-alive
    /// connections) plus our whole-request deadline and body limit, which Hummingbird has no per-connection form of.
    static func server(config: AppConfig, logger: Logger) -> HTTPServerBuilder {
        let timeout = TimeAmount(config.connectionTimeout)
        return .http1(configuration: .init(
            additionalChannelHandlers: [RequestBodyLimitHandler(limit: RequestBodyLimit.bytes),
                                        RequestReadDeadlineHandler(timeout: timeout, logger: logger)],
            idleTimeout: timeout))
    }

    /// Past the bound the server stops accepting until a connection closes; the kernel queues newcomers (up to the
    /// listen backlog), so `/healthz` waits at most one connection timeout while stalled clients fill every slot.
    static func admission(config: AppConfig, logger: Logger) -> any AvailableConnectionsDelegate {
        MaximumAvailableConnections(config.maxConnections, logger: logger)
    }
}

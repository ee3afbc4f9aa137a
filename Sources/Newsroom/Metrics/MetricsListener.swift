import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `/metrics` on a listener of its own (`--metrics-address`), never on the app's port: the scrape endpoint answers
/// anyone who reaches it, so it belongs on the monitoring network or loopback, not beside the pages. Only
/// `GET /metrics` (and HEAD) exist there; everything else is 404.
enum MetricsListener {
    /// The listener as a `Service` for the app's service group. `onListening` is told the address it bound (the
    /// kernel's choice of port when the address said 0).
    static func service(address: MetricsAddress, exposition: MetricsExposition, logger: Logger,
                        onListening: @escaping @Sendable (MetricsAddress) async -> Void = { _ in }) -> some Service {
        let router = Router(options: .autoGenerateHeadEndpoints)
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: MetricsExposition.contentType, .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(bytes: await exposition.render())))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "newsroom-metrics"),
            onServerRunning: { channel in
                let bound = MetricsAddress(host: address.host, port: channel.localAddress?.port ?? address.port)
                logger.info("newsroom metrics at http://\(bound)/metrics")
                await onListening(bound)
            },
            logger: logger)
    }
}

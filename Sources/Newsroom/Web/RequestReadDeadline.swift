import Logging
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request does not arrive whole (head to end) within the timeout. Hummingbird's idle
/// timeout already cuts a head that never completes (no part reaches it, so the connection looks idle), but it
/// restarts at every body part: a client trickling a byte a second would hold a body open for ever without this.
final class RequestReadDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let timeout: TimeAmount
    private let logger: Logger
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: arm(context: context)
        case .body: break
        case .end: disarm()
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    private func arm(context: ChannelHandlerContext) {
        disarm()
        let (channel, logger, timeout) = (context.channel, logger, timeout)
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            logger.debug("closing a connection whose request did not arrive within \(timeout.nanoseconds / 1_000_000) ms")
            channel.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}

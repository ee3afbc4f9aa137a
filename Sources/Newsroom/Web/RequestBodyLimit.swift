import Hummingbird
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// One limit on request bodies for every route, whether or not the route reads the body: `AppResponder` reads
/// every body up to it before routing, and `RequestBodyLimitHandler` makes sure nothing past it is ever read on.
enum RequestBodyLimit {
    static let bytes = ConnectionSettings.maxRequestBodyBytes

    /// True when the head alone says the body is over `limit` (a length that is not a plain number counts as over).
    static func isDeclaredOver(_ limit: Int, _ fields: HTTPFields) -> Bool {
        guard let declared = fields[.contentLength] else { return false }
        guard let length = Int(declared) else { return true }
        return length > limit
    }

    /// The 413 page; `Connection: close` since the rest of the body is never read.
    static func refusal(limit: Int) -> Response {
        let page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Too large</title><link rel="stylesheet" href="/static/style.css"></head>
            <body><main><h1>Too large</h1><p>The request was larger than this server accepts (\(limit / 1024) KiB at most).</p>
            <p><a href="/">Back to the front page</a></p></main></body></html>

            """
        return Response(status: .contentTooLarge, headers: [.contentType: "text/html; charset=utf-8", .connection: "close"],
                        body: .init(byteBuffer: ByteBuffer(string: page)))
    }
}

/// On each connection, keeps request bodies from being read past the limit, whatever the route does. Hummingbird
/// reads a body the route left unread to its end before the next request, so without this a GET with a 1 GB
/// body would be streamed in for as long as the client sends. A request whose body is declared (Content-Length)
/// or found (chunked) over the limit is passed on no further than the part that crossed it (so a reader's
/// `collect(upTo:)` fails with 413 and never sees a truncated body); everything after it is dropped and the
/// connection is half-closed once that request's response is written. Half, not whole: closing with unread
/// bytes would send a reset that can wipe the 413 out of the client's buffer. The read timeouts end the rest.
final class RequestBodyLimitHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limit: Int
    private var requestsStarted = 0
    private var responsesEnded = 0
    private var bodyBytes = 0
    /// Which request (counting from 1) went over the limit: from it on, nothing more is passed on.
    private var refusedRequest: Int?
    private var outputClosed = false

    init(limit: Int) { self.limit = limit }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard refusedRequest == nil else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            requestsStarted += 1
            bodyBytes = 0
            context.fireChannelRead(data)
            if RequestBodyLimit.isDeclaredOver(limit, head.headerFields) { refuse(context: context) }
        case .body(let buffer):
            bodyBytes += buffer.readableBytes
            context.fireChannelRead(data)
            if bodyBytes > limit { refuse(context: context) }
        case .end:
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else { return context.write(data, promise: promise) }
        responsesEnded += 1
        guard let refused = refusedRequest, responsesEnded >= refused else { return context.write(data, promise: promise) }
        context.writeAndFlush(data, promise: promise)
        closeOutput(context: context)
    }

    private func refuse(context: ChannelHandlerContext) {
        refusedRequest = requestsStarted
        // Answered already (the route did not wait for the body): nothing more to say.
        if responsesEnded >= requestsStarted { closeOutput(context: context) }
    }

    private func closeOutput(context: ChannelHandlerContext) {
        guard !outputClosed else { return }
        outputClosed = true
        let channel = context.channel
        let halfClosed = context.eventLoop.makePromise(of: Void.self)
        halfClosed.futureResult.whenFailure { _ in channel.close(promise: nil) }
        context.close(mode: .output, promise: halfClosed)
    }
}

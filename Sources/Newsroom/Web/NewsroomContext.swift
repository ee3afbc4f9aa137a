import Hummingbird
import NIOCore
import Logging
import Pages

/// The request context: Hummingbird's core storage plus what the middleware learned for the pages: the
/// signed-in member (`SessionMiddleware`) and the publications their navbar links to (`NavigationMiddleware`).
public struct NewsroomContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var member: Member?
    /// The navbar's publications: the catalog's first few, in catalog order; empty when signed out.
    public var publications: [PublicationLink]
    /// The TCP peer (nil when a request did not come over a socket), for per-client limits; kept as NIO gives
    /// it, since only the sign-in routes turn it into text.
    public let peer: SocketAddress?

    public init(source: Source) {
        coreContext = .init(source: source)
        member = nil
        publications = []
        peer = source.channel.remoteAddress
    }

    /// Forms here are tiny (a CSRF token); refuse anything larger early. `AppResponder` already holds every
    /// route to the same limit before routing; this keeps a route's own `collect(upTo:)` in step with it.
    public var maxUploadSize: Int { RequestBodyLimit.bytes }
}

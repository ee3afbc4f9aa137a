import Hummingbird
import Logging
import Pages

/// The request context: Hummingbird's core storage plus what the middleware learned for the pages: the
/// signed-in member (`SessionMiddleware`) and the publications their navbar links to (`NavigationMiddleware`).
public struct NewsroomContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var member: Member?
    /// The catalog's publications, in catalog order; empty when signed out.
    public var publications: [PublicationLink]

    public init(source: Source) {
        coreContext = .init(source: source)
        member = nil
        publications = []
    }

    /// Forms here are tiny (a CSRF token); refuse anything larger early.
    public var maxUploadSize: Int { 16 * 1024 }
}

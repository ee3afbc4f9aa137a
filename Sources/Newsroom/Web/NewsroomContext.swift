import Hummingbird
import Logging

/// The request context: Hummingbird's core storage plus the signed-in member, filled by `SessionMiddleware`.
public struct NewsroomContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var member: Member?

    public init(source: Source) {
        coreContext = .init(source: source)
        member = nil
    }

    /// Forms here are tiny (a CSRF token); refuse anything larger early.
    public var maxUploadSize: Int { 16 * 1024 }
}

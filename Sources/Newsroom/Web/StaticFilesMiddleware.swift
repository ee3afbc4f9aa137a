import Hummingbird
import Logging

/// Serves `/static/…` straight from the folder, before any session lookup; other paths pass through.
/// (Hummingbird's FileMiddleware serves only after the rest of the chain says 404, which here renders a page.)
struct StaticFilesMiddleware: RouterMiddleware {
    typealias Context = NewsroomContext
    let files: FileMiddleware<NewsroomContext, LocalFileSystem>

    init(folder: String, logger: Logger) {
        files = FileMiddleware(folder, urlBasePath: "/static", logger: logger)
    }

    func handle(_ request: Request, context: NewsroomContext, next: (Request, NewsroomContext) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/static/") else { return try await next(request, context) }
        do {
            return try await files.handle(request, context: context) { _, _ in throw HTTPError(.notFound) }
        } catch let error as HTTPError where error.status == .notFound {
            return try await next(request, context)  // no such file: the usual 404 page
        }
    }
}

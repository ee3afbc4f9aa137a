import Foundation
import Hummingbird
import Logging
import Pages
import Storage

/// Turns view models into responses: the layout (navbar, member, flash) around a page body. It renders only
/// what the route and the request context hand it, and never reads the database.
struct Views: Sendable {
    let renderer: PageRenderer

    /// - Parameters:
    ///   - current: the publication whose page this is; listed in the navbar (after the first few) even when it is
    ///     not among them, so the member sees where they are.
    ///   - allPublicationsIsCurrent: this is the list of all publications.
    func layout(title: String, context: NewsroomContext, current: PublicationLink? = nil, flash: String? = nil,
                allPublicationsIsCurrent: Bool = false) -> LayoutContext {
        guard let member = context.member else {
            return LayoutContext(title: title, signInURL: "/login", flash: flash)
        }
        var links = context.publications
        if let current, !links.contains(where: { $0.id == current.id }) { links.append(current) }
        return LayoutContext(title: title, publications: links.map { NavPublication($0, current: current?.id) },
                             member: NavMember(login: member.login, avatarURL: member.avatarURL, csrfToken: member.csrfToken),
                             flash: flash ?? member.flash, allPublicationsIsCurrent: allPublicationsIsCurrent)
    }

    func page(_ page: some PageView, title: String, context: NewsroomContext, status: HTTPResponse.Status = .ok,
              current: PublicationLink? = nil, flash: String? = nil) -> Response {
        html(status, renderer.renderPage(page, layout: layout(title: title, context: context, current: current, flash: flash)))
    }

    func denied(_ reason: DenialReason, githubLogin: String?, context: NewsroomContext) -> Response {
        var detailLink: String?
        if case .restricted(_, let approvalURL) = reason { detailLink = approvalURL }
        let page = DeniedPage(reason: reason.sentence, detail: detailLink == nil ? nil : "Request approval for this app on GitHub",
                              detailLink: detailLink, githubLogin: githubLogin, tryAgainURL: "/login")
        var anonymous = context
        anonymous.member = nil
        return self.page(page, title: "Access denied", context: anonymous, status: .forbidden)
    }

    func error(_ status: HTTPResponse.Status, title: String, message: String, context: NewsroomContext) -> Response {
        page(ErrorPage(status: status.code, title: title, message: message), title: title, context: context, status: status)
    }

    func notFound(context: NewsroomContext) -> Response {
        guard context.member != nil else {
            return error(.notFound, title: "Not found", message: "There is no page at this address.", context: context)
        }
        return page(NotFoundPage(message: "There is no such page. These are the first publications you can read:",
                                 publications: context.publications, allPublicationsURL: AllPublications.path),
                    title: "Not found", context: context, status: .notFound)
    }

    func logout(member: Member, context: NewsroomContext) -> Response {
        page(LogoutPage(csrfToken: member.csrfToken), title: "Sign out", context: context)
    }

    func html(_ status: HTTPResponse.Status, _ body: String) -> Response {
        html(status, ByteBuffer(string: body))
    }

    func html(_ status: HTTPResponse.Status, _ body: ByteBuffer) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: body))
    }
}

/// Every error becomes a page: 404s list the publications, anything unexpected is logged and shown as a
/// plain 500 without internals.
struct ErrorPagesMiddleware: RouterMiddleware {
    typealias Context = NewsroomContext
    let views: Views
    let logger: Logger

    func handle(_ request: Request, context: NewsroomContext, next: (Request, NewsroomContext) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            response = page(for: error.status, context: context)
            // Headers the error carries (`Allow` on a 405) belong on the page too.
            for field in error.headers where response.headers[field.name] == nil { response.headers.append(field) }
        } catch let error as any HTTPResponseError {
            response = page(for: error.status, context: context)
        } catch let error as StorageError where error.isTransient {
            // Locked past the request's wait, or unreachable: nothing is lost, the same request works again soon.
            logger.warning("database unavailable for a request", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            response = views.error(.serviceUnavailable, title: "Try again in a moment",
                                   message: "The news database is busy. Please try again in a few seconds.", context: context)
            response.headers[.retryAfter] = String(Int(StorageError.retryAfterSeconds))
        } catch {
            logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(describing: type(of: error)))"])
            response = views.error(.internalServerError, title: "Something went wrong", message: "Something went wrong on our side. Please try again.", context: context)
        }
        // An error page may carry the member's navbar and CSRF token: never let a cache keep it, whatever the path.
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func page(for status: HTTPResponse.Status, context: NewsroomContext) -> Response {
        switch status {
        case .notFound: return views.notFound(context: context)
        case .methodNotAllowed: return views.error(.methodNotAllowed, title: "Method not allowed", message: "This address does not accept that kind of request.", context: context)
        case .contentTooLarge: return views.error(.contentTooLarge, title: "Too large", message: "The request was larger than this page accepts.", context: context)
        default:
            // Only real error statuses: anything else a throw might carry would render an "error" page with a 2xx or 3xx.
            let shown: HTTPResponse.Status = status.code >= 400 && status.code < 600 ? status : .internalServerError
            return views.error(shown, title: shown.reasonPhrase,
                               message: shown.code < 500 ? "The request could not be handled." : "Something went wrong on our side.", context: context)
        }
    }
}

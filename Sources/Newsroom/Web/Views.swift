import Foundation
import Hummingbird
import Logging
import Pages
import Storage

/// Turns view models into responses: the layout (navbar, member, flash) around a page body.
struct Views: Sendable {
    let renderer: PageRenderer
    let store: Store
    let gate: GateRules
    let now: @Sendable () -> Date

    func layout(title: String, context: NewsroomContext, current: String? = nil, flash: String? = nil) -> LayoutContext {
        guard let member = context.member else {
            return LayoutContext(title: title, signInURL: "/login", flash: flash)
        }
        let publications = ((try? store.publications()) ?? []).map { NavPublication(id: $0.id, name: $0.name, isCurrent: $0.id == current) }
        return LayoutContext(title: title, publications: publications,
                             member: NavMember(login: member.login, avatarURL: member.avatarURL, csrfToken: member.csrfToken),
                             flash: flash ?? member.flash)
    }

    func page(_ page: some PageView, title: String, context: NewsroomContext, status: HTTPResponse.Status = .ok,
              current: String? = nil, flash: String? = nil) -> Response {
        html(status, renderer.renderPage(page, layout: layout(title: title, context: context, current: current, flash: flash)))
    }

    /// A cached body (shared by all members) wrapped in this member's layout.
    func wrapped(fragment: String, title: String, context: NewsroomContext, current: String?) -> Response {
        html(.ok, renderer.wrap(fragmentHTML: fragment, layout: layout(title: title, context: context, current: current)))
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
        let links = ((try? store.publications()) ?? []).map { PublicationLink(id: $0.id, name: $0.name) }
        return page(NotFoundPage(message: "There is no such page. These are the publications you can read:", publications: links),
                    title: "Not found", context: context, status: .notFound)
    }

    func logout(member: Member, context: NewsroomContext) -> Response {
        page(LogoutPage(csrfToken: member.csrfToken), title: "Sign out", context: context)
    }

    func html(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Every error becomes a page: 404s list the publications, anything unexpected is logged and shown as a
/// plain 500 without internals.
struct ErrorPagesMiddleware: RouterMiddleware {
    typealias Context = NewsroomContext
    let views: Views
    let logger: Logger

    func handle(_ request: Request, context: NewsroomContext, next: (Request, NewsroomContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            switch error.status {
            case .notFound: return views.notFound(context: context)
            case .methodNotAllowed: return views.error(.methodNotAllowed, title: "Method not allowed", message: "This address does not accept that kind of request.", context: context)
            case .contentTooLarge: return views.error(.contentTooLarge, title: "Too large", message: "The request was larger than this page accepts.", context: context)
            default:
                let status = error.status
                return views.error(status, title: status.reasonPhrase, message: (400..<500).contains(status.code) ? "The request could not be handled." : "Something went wrong on our side.", context: context)
            }
        } catch {
            logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(describing: type(of: error)))"])
            return views.error(.internalServerError, title: "Something went wrong", message: "Something went wrong on our side. Please try again.", context: context)
        }
    }
}

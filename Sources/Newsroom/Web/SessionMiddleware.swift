import Hummingbird
import HTTPTypes

/// Resolves the session cookie into `context.member`, clears dead cookies, and ends sessions whose
/// membership re-check failed (the person sees why).
struct SessionMiddleware: RouterMiddleware {
    typealias Context = NewsroomContext
    let sessions: SessionManager
    let views: Views

    func handle(_ request: Request, context: NewsroomContext, next: (Request, NewsroomContext) async throws -> Response) async throws -> Response {
        var context = context
        switch await sessions.resolve(request) {
        case .anonymous:
            return try await next(request, context)
        case .member(let member):
            context.member = member
            return try await next(request, context)
        case .ended:
            var response = try await next(request, context)
            // A sign-in completing on this request sets a fresh session cookie: expiring the dead one after it
            // would make the browser drop the new session.
            let prefix = sessions.sessionCookieName + "="
            if !response.headers[values: .setCookie].contains(where: { $0.hasPrefix(prefix) }) {
                response.setCookie(sessions.expiredCookie(sessions.sessionCookieName))
            }
            return response
        case .unavailable:
            // Neither signed in nor signed out: the cookie stays, and the browser is told to come back shortly
            // (SecurityHeadersMiddleware marks it no-store, as every page but static assets).
            var response = views.error(.serviceUnavailable, title: "Try again in a moment",
                                       message: "Your session could not be read just now. Please reload the page in a few seconds.",
                                       context: context)
            response.headers[.retryAfter] = "5"
            return response
        case .revoked(let reason, let login):
            var response = views.denied(reason, githubLogin: login, context: context)
            response.setCookie(sessions.expiredCookie(sessions.sessionCookieName))
            return response
        }
    }
}

/// Headers every response carries; `no-store` everywhere but static assets, since pages may be personal.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = NewsroomContext
    let secureTransport: Bool
    static let contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: NewsroomContext, next: (Request, NewsroomContext) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        // Sign-in pages set no-referrer themselves; the rest tell other sites where a visitor came from, never the path.
        if response.headers[.referrerPolicy] == nil { response.headers[.referrerPolicy] = "strict-origin-when-cross-origin" }
        if secureTransport { response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
        if response.headers[.cacheControl] == nil {
            let isAsset = request.uri.path.hasPrefix("/static/") && (response.status == .ok || response.status == .notModified)
            response.headers[.cacheControl] = isAsset ? "public, max-age=3600" : "no-store"
        }
        return response
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
}

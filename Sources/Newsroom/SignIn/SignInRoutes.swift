import Foundation
import Hummingbird
import Logging
import GitHub
import Storage

/// The OAuth web flow as named steps: `startSignIn`, `completeSignIn`, and sign-out (spec §7 is the checklist).
struct SignInRoutes: Sendable {
    let store: Store
    let sessions: SessionManager
    let gate: Gate
    let github: GitHubClient
    let views: Views
    let config: AppConfig
    let deps: AppDependencies
    let logger: Logger
    static let attemptLifetime: TimeInterval = 600

    func register(on router: Router<NewsroomContext>) {
        router.get("/login") { request, _ in try startSignIn(request) }
        router.get("/login/github") { request, _ in try startSignIn(request) }
        router.get("/login/github/authorized") { request, context in await completeSignIn(request, context: context) }
        router.get("/logout") { _, context in
            guard let member = context.member else { return Response.redirect(to: "/") }
            return views.logout(member: member, context: context)
        }
        router.post("/logout") { request, context in try await signOut(request, context: context) }
        for path: RouterPath in ["/login", "/login/github", "/login/github/authorized"] { router.refuseWrites(on: path) }
    }

    /// Records a one-time state bound to this browser (a nonce cookie), with the PKCE verifier and the
    /// sanitised `next` path, then sends the browser to GitHub.
    func startSignIn(_ request: Request) throws -> Response {
        let now = deps.now()
        _ = try? store.purgeExpiredLoginAttempts(now: now)
        // Another tab's nonce is reused so parallel sign-ins work; anything that is not one of ours is replaced
        // (it would also be echoed into Set-Cookie, where a stray quote, comma or space is invalid).
        let nonce = request.cookies[sessions.loginCookieName].map(\.value).flatMap(Opaque.validNonce) ?? Base64URL.encode(deps.randomBytes(32))
        let state = OAuthState.generate(randomBytes: deps.randomBytes)
        let pkce: PKCE? = config.github?.usePKCE == false ? nil : PKCE.generate(randomBytes: deps.randomBytes)
        let next = SafeRedirect.localPath(request.uri.queryParameters["next"].map(String.init))
        try store.createLoginAttempt(LoginAttemptRecord(
            stateHash: Opaque.hash(state), browserBindingHash: Opaque.hash(nonce), pkceVerifier: pkce?.verifier,
            nextPath: next, createdAt: now, expiresAt: now.addingTimeInterval(Self.attemptLifetime)))
        let url = github.authorizeURL(state: state, codeChallenge: pkce?.challenge, scopes: gate.rules.scopes, allowSignup: true)
        var response = Response.redirect(to: url, type: .found)
        response.setCookie(sessions.cookie(sessions.loginCookieName, value: nonce, maxAge: Int(Self.attemptLifetime)))
        response.headers[.cacheControl] = "no-store"
        response.headers[.referrerPolicy] = "no-referrer"
        return response
    }

    /// The callback: `error` first, then the state (one use, this browser, not expired) before any code is
    /// redeemed; then the exchange, `/user`, the gate, and a brand-new session.
    func completeSignIn(_ request: Request, context: NewsroomContext) async -> Response {
        let query = request.uri.queryParameters
        let now = deps.now()
        let attempt = query["state"].flatMap { state in try? store.takeLoginAttempt(stateHash: Opaque.hash(String(state))) }
        let nonce = request.cookies[sessions.loginCookieName]?.value ?? ""
        let boundHere = attempt.map { Opaque.equal($0.browserBindingHash, Opaque.hash(nonce)) && $0.expiresAt > now } ?? false

        if let error = query["error"] {
            logger.info("sign-in ended at GitHub", metadata: ["error": "\(GitHubError.sanitizedCode(String(error)))"])
            return clean(views.denied(String(error) == "access_denied" ? .accessDeniedByUser : .signInFailed("GitHub reported an error"),
                                      githubLogin: nil, context: context))
        }
        guard let attempt, boundHere else {
            logger.warning("sign-in callback refused: unknown, used, expired or foreign state")
            return clean(views.error(.badRequest, title: "Sign-in link expired",
                                     message: "This sign-in link is no longer valid (it was already used, has expired, or was started in another browser). Please sign in again.",
                                     context: context))
        }
        guard let code = query["code"], !code.isEmpty else {
            return clean(views.error(.badRequest, title: "Sign-in incomplete", message: "GitHub did not send a sign-in code. Please sign in again.", context: context))
        }
        let token: AccessToken
        let user: GitHubUser
        do {
            token = try await github.exchangeCode(String(code), codeVerifier: attempt.pkceVerifier)
            user = try await github.user(token: token.token)
        } catch {
            logger.warning("sign-in failed: \(error)")
            let reason = Self.denial(for: error)
            return clean(views.denied(reason, githubLogin: nil, context: context))
        }
        switch await gate.check(user, token: token) {
        case .denied(let reason):
            logger.info("sign-in denied", metadata: ["github_id": "\(user.id)", "reason": "\(reason.code)"])
            return clean(views.denied(reason, githubLogin: user.login, context: context))
        case .admitted(let rule):
            do {
                let cookie = try sessions.start(user: user, token: token, admittedBy: rule,
                                                replacing: request.cookies[sessions.sessionCookieName]?.value)
                logger.info("signed in", metadata: ["github_id": "\(user.id)", "rule": "\(rule)"])
                var response = clean(Response.redirect(to: attempt.nextPath, type: .found))
                response.setCookie(cookie)
                return response
            } catch {
                logger.error("cannot store the session: \(error)")
                return clean(views.error(.internalServerError, title: "Sign-in failed", message: "The session could not be stored. Please try again.", context: context))
            }
        }
    }

    /// POST with the session's CSRF token; deletes the row, expires the cookie, optionally revokes the grant.
    func signOut(_ request: Request, context: NewsroomContext) async throws -> Response {
        guard let member = context.member else { return Response.redirect(to: "/", type: .found) }
        // The form is url-encoded (the context's default decoder is JSON); a missing field is a wrong token.
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let form = try? URLEncodedFormDecoder().decode(LogoutForm.self, from: String(buffer: body))
        guard let csrf = form?.csrf, Opaque.equal(csrf, member.csrfToken) else {
            return views.error(.forbidden, title: "Sign-out refused", message: "The sign-out form was stale or came from elsewhere. Reload the page and try again.", context: context)
        }
        let token = sessions.end(member)
        if config.revokeOnLogout, let token {
            do { try await github.revokeGrant(token: token) } catch { logger.warning("could not revoke the GitHub grant: \(error)") }
        }
        logger.info("signed out", metadata: ["github_id": "\(member.githubID)"])
        var response = Response.redirect(to: "/", type: .found)
        response.setCookie(sessions.expiredCookie(sessions.sessionCookieName))
        response.setCookie(sessions.cookie(sessions.flashCookieName, value: "signed-out", maxAge: 60))
        return response
    }

    /// GitHub down, overloaded or rate limiting is "try again later"; anything else names what went wrong.
    static func denial(for error: GitHubError) -> DenialReason {
        switch error {
        case .transport, .rateLimited: .githubUnavailable
        case .unexpectedStatus(let status, _) where status >= 500: .githubUnavailable
        default: .signInFailed(error.description)
        }
    }

    /// The callback answers without caching or a Referer that could carry the code (spec §7 item 12), and the
    /// login nonce is spent.
    private func clean(_ response: Response) -> Response {
        var response = response
        response.headers[.cacheControl] = "no-store"
        response.headers[.referrerPolicy] = "no-referrer"
        response.setCookie(sessions.expiredCookie(sessions.loginCookieName))
        return response
    }
}

struct LogoutForm: Decodable {
    var csrf: String
}

import Foundation
import Hummingbird
import Logging
import GitHub
import Storage

/// The OAuth web flow as named steps: `startSignIn`, `completeSignIn`, and sign-out (spec §7 is the checklist).
struct SignInRoutes: Sendable {
    let store: any Store
    let sessions: SessionManager
    let gate: Gate
    let github: GitHubClient
    let views: Views
    let config: AppConfig
    let deps: AppDependencies
    let logger: Logger
    /// Why the last callback refused this browser, for the clean page it was sent to.
    let refusals: SignedValue<SignInRefusal>
    /// Starting and completing sign-ins, per client: both cost a write or GitHub calls before anyone is known.
    let limiter: SignInRateLimiter
    let clients: ClientAddress
    /// Counts admitted and denied sign-ins by reason code (never the login).
    let metrics: AppMetrics?
    static let attemptLifetime: TimeInterval = 600
    /// Sign-ins in progress kept at most; beyond it the oldest are dropped (their callbacks then say "expired").
    static let maxPendingAttempts = 5_000
    /// How long the refusal page can be reloaded.
    static let refusalLifetime: TimeInterval = 60

    init(store: any Store, sessions: SessionManager, gate: Gate, github: GitHubClient, views: Views, config: AppConfig,
         deps: AppDependencies, logger: Logger, metrics: AppMetrics? = nil) {
        (self.store, self.sessions, self.gate, self.github, self.views, self.config, self.deps, self.logger) =
            (store, sessions, gate, github, views, config, deps, logger)
        self.metrics = metrics
        refusals = SignedValue(secret: config.secretKey, purpose: "sign-in refusal")
        limiter = SignInRateLimiter(limits: config.signInLimits)
        clients = ClientAddress(trustedProxies: config.trustedProxies)
    }

    var refusalCookieName: String { config.cookiesAreSecure ? "__Host-newsroom-refusal" : "newsroom-refusal" }

    func register(on router: Router<NewsroomContext>) {
        router.get("/login") { request, context in try await limited(request, context) { try await startSignIn(request) } }
        router.get("/login/github") { request, context in try await limited(request, context) { try await startSignIn(request) } }
        router.get("/login/github/authorized") { request, context in
            try await limited(request, context) { await completeSignIn(request, context: context) }
        }
        // Where a callback that did not sign in sends the browser, so its code and state leave the address bar.
        router.get("/login/denied") { request, context in refusalPage(request, context: context) }
        for page in CallbackOutcomePage.allCases {
            router.get(RouterPath(page.path)) { _, context in noReferrer(views.error(page.status, title: page.title, message: page.message, context: context)) }
        }
        router.get("/logout") { _, context in
            guard let member = context.member else { return Response.redirect(to: "/") }
            return views.logout(member: member, context: context)
        }
        router.post("/logout") { request, context in try await signOut(request, context: context) }
        for path in ["/login", "/login/github", "/login/github/authorized", "/login/denied"] + CallbackOutcomePage.allCases.map(\.path) {
            router.refuseWrites(on: RouterPath(path))
        }
    }

    /// Runs `route` if this client has a token left; otherwise 429 with `Retry-After`, before any write or GitHub call.
    func limited(_ request: Request, _ context: NewsroomContext, _ route: () async throws -> Response) async throws -> Response {
        let client = clients.key(peer: context.peer?.ipAddress, forwardedFor: request.headers[values: ClientAddress.forwardedForHeader])
        switch limiter.spend(client: client, now: deps.now()) {
        case .allowed:
            return try await route()
        case .limited(let retryAfter):
            logger.notice("sign-in rate limited", metadata: ["client": "\(client)", "retry_after": "\(retryAfter)"])
            var response = views.error(.tooManyRequests, title: "Too many sign-in attempts",
                                       message: "Too many sign-in attempts came from your network. Please wait a minute and try again.",
                                       context: context)
            response.headers[.retryAfter] = String(retryAfter)
            return noReferrer(response)
        }
    }

    /// Records a one-time state bound to this browser (a nonce cookie), with the PKCE verifier and the
    /// sanitised `next` path, then sends the browser to GitHub.
    func startSignIn(_ request: Request) async throws -> Response {
        let now = deps.now()
        _ = try? await store.purgeExpiredLoginAttempts(now: now)
        // Another tab's nonce is reused so parallel sign-ins work; anything that is not one of ours is replaced
        // (it would also be echoed into Set-Cookie, where a stray quote, comma or space is invalid).
        let nonce = request.cookies[sessions.loginCookieName].map(\.value).flatMap(Opaque.validNonce) ?? Base64URL.encode(deps.randomBytes(32))
        let state = OAuthState.generate(randomBytes: deps.randomBytes)
        let pkce: PKCE? = config.github?.usePKCE == false ? nil : PKCE.generate(randomBytes: deps.randomBytes)
        let next = SafeRedirect.localPath(request.uri.queryParameters["next"].map(String.init))
        try await store.createLoginAttempt(LoginAttemptRecord(
            stateHash: Opaque.hash(state), browserBindingHash: Opaque.hash(nonce), pkceVerifier: pkce?.verifier,
            nextPath: next, createdAt: now, expiresAt: now.addingTimeInterval(Self.attemptLifetime)), maxPending: Self.maxPendingAttempts)
        let url = github.authorizeURL(state: state, codeChallenge: pkce?.challenge, scopes: gate.rules.scopes, allowSignup: true)
        var response = Response.redirect(to: url, type: .found)
        response.setCookie(sessions.cookie(sessions.loginCookieName, value: nonce, maxAge: Int(Self.attemptLifetime)))
        return noReferrer(response)
    }

    /// The callback: `error` first, then the state (one use, this browser, not expired) before any code is
    /// redeemed; then the exchange, `/user`, the gate, and a brand-new session.
    func completeSignIn(_ request: Request, context: NewsroomContext) async -> Response {
        let query = request.uri.queryParameters
        let now = deps.now()
        var attempt: LoginAttemptRecord?
        if let state = query["state"] { attempt = try? await store.takeLoginAttempt(stateHash: Opaque.hash(String(state))) }
        let nonce = request.cookies[sessions.loginCookieName]?.value ?? ""
        let boundHere = attempt.map { Opaque.equal($0.browserBindingHash, Opaque.hash(nonce)) && $0.expiresAt > now } ?? false

        if let error = query["error"] {
            logger.info("sign-in ended at GitHub", metadata: ["error": "\(GitHubError.sanitizedCode(String(error)))"])
            return refuse(String(error) == "access_denied" ? .accessDeniedByUser : .signInFailed("GitHub reported an error"), login: nil)
        }
        guard let attempt, boundHere else {
            logger.warning("sign-in callback refused: unknown, used, expired or foreign state")
            return clean(Response.redirect(to: CallbackOutcomePage.linkExpired.path, type: .found))
        }
        guard let code = query["code"], !code.isEmpty else {
            return clean(Response.redirect(to: CallbackOutcomePage.incomplete.path, type: .found))
        }
        let token: AccessToken
        let user: GitHubUser
        do {
            token = try await github.exchangeCode(String(code), codeVerifier: attempt.pkceVerifier)
            user = try await github.user(token: token.token)
        } catch {
            logger.warning("sign-in failed: \(error)")
            return refuse(Self.denial(for: error), login: nil)
        }
        switch await gate.check(user, token: token) {
        case .denied(let reason):
            logger.info("sign-in denied", metadata: ["github_id": "\(user.id)", "reason": "\(reason.code)"])
            return refuse(reason, login: user.login)
        case .admitted(let rule):
            do {
                let cookie = try await sessions.start(user: user, token: token, admittedBy: rule,
                                                replacing: request.cookies[sessions.sessionCookieName]?.value)
                logger.info("signed in", metadata: ["github_id": "\(user.id)", "rule": "\(rule)"])
                metrics?.signInAdmitted(rule: rule)
                var response = clean(Response.redirect(to: attempt.nextPath, type: .found))
                response.setCookie(cookie)
                return response
            } catch {
                logger.error("cannot store the session: \(error)")
                return clean(Response.redirect(to: CallbackOutcomePage.notStored.path, type: .found))
            }
        }
    }

    /// Sends the browser to `/login/denied` with why, signed, in a short-lived cookie (never in the URL).
    private func refuse(_ reason: DenialReason, login: String?) -> Response {
        metrics?.signInDenied(reason)
        var response = clean(Response.redirect(to: "/login/denied", type: .found))
        let value = refusals.sign(SignInRefusal(reason: reason, login: login), expires: deps.now().addingTimeInterval(Self.refusalLifetime))
        response.setCookie(sessions.cookie(refusalCookieName, value: value, maxAge: Int(Self.refusalLifetime)))
        return response
    }

    /// The denied page for the refusal this browser was handed; without one (expired, forged) there is nothing
    /// to explain, so the visitor goes home.
    func refusalPage(_ request: Request, context: NewsroomContext) -> Response {
        guard let value = request.cookies[refusalCookieName]?.value, let refusal = refusals.verify(value, now: deps.now()) else {
            return Response.redirect(to: "/", type: .found)
        }
        return noReferrer(views.denied(refusal.reason, githubLogin: refusal.login, context: context))
    }

    /// POST with the session's CSRF token; deletes the row, expires the cookie, optionally revokes the token or the grant.
    func signOut(_ request: Request, context: NewsroomContext) async throws -> Response {
        guard let member = context.member else { return Response.redirect(to: "/", type: .found) }
        // The form is url-encoded (the context's default decoder is JSON); a missing field is a wrong token.
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let form = try? URLEncodedFormDecoder().decode(LogoutForm.self, from: String(buffer: body))
        guard let csrf = form?.csrf, Opaque.equal(csrf, member.csrfToken) else {
            return views.error(.forbidden, title: "Sign-out refused", message: "The sign-out form was stale or came from elsewhere. Reload the page and try again.", context: context)
        }
        // Refused from here on either way (and the member's cached pages dropped); `deleted` says whether the row is gone too.
        let (token, deleted) = await sessions.end(member)
        if let revocation = config.revokeOnLogout, let token {
            do {
                switch revocation {
                case .token: try await github.revokeToken(token: token)
                case .grant: try await github.revokeGrant(token: token)
                }
            } catch {
                logger.warning("could not revoke the GitHub \(revocation.rawValue): \(error)")
            }
        }
        guard deleted else {
            // Honest: this server refuses the cookie already, but the row is still there until a retry deletes it.
            // The cookie is expired too, so a retried POST finds no session and just goes home.
            logger.warning("sign-out not finished: the session is refused in memory, its delete is retried", metadata: ["github_id": "\(member.githubID)"])
            // The page is drawn for a signed-out visitor: no navbar with the member's name or a sign-out form.
            var signedOut = context
            (signedOut.member, signedOut.publications) = (nil, [])
            var response = views.error(.serviceUnavailable, title: "Sign-out not finished",
                                       message: "This browser is signed out on this server, but the database did not answer, so the sign-out will be completed once it does. Try again shortly.",
                                       context: signedOut)
            response.headers[.retryAfter] = "5"
            response.setCookie(sessions.expiredCookie(sessions.sessionCookieName))
            return response
        }
        logger.info("signed out", metadata: ["github_id": "\(member.githubID)"])
        var response = Response.redirect(to: "/", type: .found)
        response.setCookie(sessions.expiredCookie(sessions.sessionCookieName))
        response.setCookie(sessions.cookie(sessions.flashCookieName, value: "signed-out", maxAge: 60))
        return response
    }

    /// GitHub down or overloaded is "try again later", rate limiting says when; anything else names what went wrong.
    static func denial(for error: GitHubError) -> DenialReason {
        switch error {
        case .rateLimited(let limit): .rateLimited(until: limit.until)
        case .transport: .githubUnavailable
        case .unexpectedStatus(let status, _) where status >= 500: .githubUnavailable
        default: .signInFailed(error.description)
        }
    }

    /// The callback answers without caching or a Referer that could carry the code (spec §7 item 12), and the
    /// login nonce is spent.
    private func clean(_ response: Response) -> Response {
        var response = noReferrer(response)
        response.setCookie(sessions.expiredCookie(sessions.loginCookieName))
        return response
    }

    /// Sign-in pages send no Referer at all (set by header: the layout carries no referrer meta tag to override it).
    private func noReferrer(_ response: Response) -> Response {
        var response = response
        response.headers[.cacheControl] = "no-store"
        response.headers[.referrerPolicy] = "no-referrer"
        return response
    }
}

/// Why a callback did not sign the browser in, as the refusal cookie carries it.
struct SignInRefusal: Codable, Sendable {
    var reason: DenialReason
    var login: String?
}

/// The clean pages a callback that failed for a reason of its own sends the browser to.
enum CallbackOutcomePage: CaseIterable {
    case linkExpired, incomplete, notStored

    var path: String {
        switch self {
        case .linkExpired: "/login/expired"
        case .incomplete: "/login/incomplete"
        case .notStored: "/login/failed"
        }
    }
    var status: HTTPResponse.Status {
        switch self {
        case .linkExpired, .incomplete: .badRequest
        case .notStored: .internalServerError
        }
    }
    var title: String {
        switch self {
        case .linkExpired: "Sign-in link expired"
        case .incomplete: "Sign-in incomplete"
        case .notStored: "Sign-in failed"
        }
    }
    var message: String {
        switch self {
        case .linkExpired: "This sign-in link is no longer valid (it was already used, has expired, or was started in another browser). Please sign in again."
        case .incomplete: "GitHub did not send a sign-in code. Please sign in again."
        case .notStored: "The session could not be stored. Please try again."
        }
    }
}

struct LogoutForm: Decodable {
    var csrf: String
}

import Foundation
import Hummingbird
import Synchronization

/// A local stand-in for GitHub's OAuth web flow and the REST endpoints a login gate uses (spec §6).
/// Thread-safe: tests mutate the world while the server runs.
public final class GitHubSandbox: Sendable {
    /// Path prefix of the web endpoints (`""` → `/login/oauth/…`, like github.com and GHES).
    public let webPrefix: String
    /// Path prefix of the REST API (`/api/v3` like GHES).
    public let apiPrefix: String
    let clock: @Sendable () -> Date
    let state: Mutex<SandboxState>
    /// The router `handle(_:)` answers with, built once on first use.
    let handleResponder = Mutex<RouterResponder<SandboxRequestContext>?>(nil)

    /// - Parameter now: the sandbox's clock (code expiry, rate-limit reset); `advanceClock(by:)` adds to it.
    public init(world: SandboxWorld, webPrefix: String = "", apiPrefix: String = "/api/v3",
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.webPrefix = Self.normalizedPrefix(webPrefix)
        self.apiPrefix = Self.normalizedPrefix(apiPrefix)
        self.clock = now
        self.state = Mutex(SandboxState(world: world))
    }

    /// The demo world: org `acme` with octocat (id 1, active), hubot (id 2, not a member), pending-pat (id 3, pending),
    /// and one OAuth app `sandbox-client-id` with a random secret (`demoClientSecret`).
    public static func demo(callbackURL: String, redirectMode: RedirectMode = .exact,
                            webPrefix: String = "", apiPrefix: String = "/api/v3",
                            now: @escaping @Sendable () -> Date = { Date() }) -> GitHubSandbox {
        let world = SandboxWorld(
            users: [
                SandboxUser(id: 1, login: "octocat", name: "Mona Octocat"),  // no avatar: offline, an https URL could not load
                SandboxUser(id: 2, login: "hubot", name: "Hubot"),
                SandboxUser(id: 3, login: "pending-pat", name: "Pat Pending"),
            ],
            orgs: [
                SandboxOrg(id: 100, login: "acme", members: [1: .init(state: .active), 3: .init(state: .pending)],
                           teams: ["editors": [1: .init(state: .active, role: "maintainer")]]),
            ],
            apps: [
                SandboxOAuthApp(clientID: demoClientID, clientSecret: SandboxRandom.token(prefix: "sandbox_secret_"),
                                callbackURL: callbackURL, redirectMode: redirectMode, name: "newsroom"),
            ])
        return GitHubSandbox(world: world, webPrefix: webPrefix, apiPrefix: apiPrefix, now: now)
    }

    public static let demoClientID = "sandbox-client-id"

    /// The secret of the demo app (or of the first registered app).
    public var demoClientSecret: String {
        state.withLock { $0.apps[Self.demoClientID]?.clientSecret ?? $0.apps.values.first?.clientSecret ?? "" }
    }

    // MARK: Where it listens

    /// `http://127.0.0.1:PORT` once running, nil before.
    public var origin: String? { state.withLock { $0.origin } }
    /// `{origin}{webPrefix}/login/oauth/` for `GitHubConfiguration.authURL`.
    public var authURL: String? { origin.map { authURL(origin: $0) } }
    /// `{origin}{apiPrefix}/` for `GitHubConfiguration.apiURL`.
    public var apiURL: String? { origin.map { apiURL(origin: $0) } }

    /// `GitHubConfiguration.authURL` for a sandbox served at `origin` (e.g. mounted in another app with `addRoutes(to:)`).
    public func authURL(origin: String) -> String { origin + webPrefix + "/login/oauth/" }
    /// `GitHubConfiguration.apiURL` for a sandbox served at `origin`.
    public func apiURL(origin: String) -> String { origin + apiPrefix + "/" }

    // MARK: Log

    public var requests: [SandboxRequest] { state.withLock { $0.requests } }
    public var tokenRequestCount: Int { state.withLock { $0.requests.count { $0.endpoint == .accessToken } } }
    /// Live (unrevoked) tokens of a user, for asserting revocation.
    public func liveTokenCount(ofUserID id: Int64) -> Int {
        state.withLock { $0.tokens.values.count { $0.userID == id } }
    }

    // MARK: Mutators

    public var now: Date { clock().addingTimeInterval(state.withLock { $0.clockOffset }) }

    /// Moves the sandbox clock forward (e.g. past a code's 600 s lifetime).
    public func advanceClock(by seconds: TimeInterval) {
        state.withLock { $0.clockOffset += seconds }
    }

    /// `nil` removes the membership.
    public func setOrgMembership(org: String, login: String, state membership: SandboxMembershipState?, role: String = "member") {
        state.withLock { s in
            guard let key = s.orgKey(org), let id = s.userID(login: login) else { return }
            s.orgs[key]?.members[id] = membership.map { SandboxMembership(state: $0, role: role) }
        }
    }

    public func setTeamMembership(org: String, team: String, login: String, state membership: SandboxMembershipState?, role: String = "member") {
        state.withLock { s in
            guard let key = s.orgKey(org), let id = s.userID(login: login) else { return }
            s.orgs[key]?.teams[team.lowercased(), default: [:]][id] = membership.map { SandboxMembership(state: $0, role: role) }
        }
    }

    public func setOrgRestricted(_ org: String, _ restricted: Bool) {
        state.withLock { s in s.orgKey(org).map { s.orgs[$0]?.restricted = restricted } }
    }

    public func setOrgSAMLRequired(_ org: String, _ required: Bool) {
        state.withLock { s in s.orgKey(org).map { s.orgs[$0]?.samlRequired = required } }
    }

    /// Revokes every token of the user (as if they revoked the app on GitHub); the API then answers 401.
    public func revokeAllTokens(of login: String) {
        state.withLock { s in
            guard let id = s.userID(login: login) else { return }
            s.tokens = s.tokens.filter { $0.value.userID != id }
            s.refreshTokens = s.refreshTokens.filter { $0.value.userID != id }
        }
    }

    /// Renames an account; its id, memberships and tokens stay.
    public func renameUser(id: Int64, to login: String) {
        state.withLock { $0.users[id]?.login = login }
    }

    public func addUser(_ user: SandboxUser) {
        state.withLock { $0.users[user.id] = user }
    }

    /// A rename and a takeover: the account holding `login` becomes `renamedTo`, and a new account `newID`
    /// registers the freed `login` (as happens on GitHub once a login is released).
    public func reassignLogin(_ login: String, renamingHolderTo renamedTo: String, toNewAccount newID: Int64) {
        state.withLock { s in
            if let holder = s.userID(login: login) { s.users[holder]?.login = renamedTo }
            s.users[newID] = SandboxUser(id: newID, login: login)
        }
    }

    /// Deletes an account: `/users/{login}` answers 404 and its tokens stop working.
    public func deleteUser(id: Int64) {
        state.withLock { s in
            s.users[id] = nil
            s.tokens = s.tokens.filter { $0.value.userID != id }
            s.refreshTokens = s.refreshTokens.filter { $0.value.userID != id }
        }
    }

    /// Points an app's registered callback somewhere else (e.g. once the app's own port is known).
    public func setCallbackURL(_ url: String, clientID: String = GitHubSandbox.demoClientID) {
        state.withLock { $0.apps[clientID]?.callbackURL = url }
    }

    /// Adds or replaces an app.
    public func registerApp(_ app: SandboxOAuthApp) {
        state.withLock { $0.apps[app.clientID] = app }
    }

    /// Grant only these scopes whatever is asked (nil: grant what was asked).
    public func setGrantedScopes(_ scopes: [String]?) {
        state.withLock { $0.grantedScopesOverride = scopes }
    }

    /// true: a mismatching redirect_uri redirects to the callback with `error=redirect_uri_mismatch`
    /// (documented); false (default): GitHub's "not associated" HTML page (observed).
    public func setRedirectMismatchRedirects(_ redirects: Bool) {
        state.withLock { $0.redirectMismatchRedirects = redirects }
    }

    /// The browser's signed-in user: authorize auto-approves when this user already granted the requested scopes.
    public func setSignedInUser(_ login: String?) {
        state.withLock { s in s.signedInUserID = login.flatMap { s.userID(login: $0) } }
    }

    /// The next `count` token-endpoint requests get `response` instead.
    public func injectTokenResponses(_ response: InjectedResponse, count: Int = 1) {
        state.withLock { $0.injectedTokenResponses += Array(repeating: response, count: count) }
    }

    /// The next `count` API requests (after the User-Agent check) get `response` instead.
    public func injectAPIResponses(_ response: InjectedResponse, count: Int = 1) {
        state.withLock { $0.injectedAPIResponses += Array(repeating: response, count: count) }
    }

    /// While set, every REST API call (after the User-Agent check) answers as GitHub does when it rate-limits
    /// the caller; nil lifts the limit. The web flow (authorize, token endpoint) is not limited, as on GitHub.
    public func limitRequests(_ limit: SandboxRateLimit?) {
        state.withLock { $0.requestLimit = limit }
    }

    /// Expiring user tokens (spec §2): `expires_in` 28800 s, a `ghr_` refresh token valid 15897600 s, rotation on refresh.
    public func setExpiringTokens(_ expiring: Bool) {
        state.withLock { $0.expiringTokens = expiring }
    }

    /// Delay before every answer (server-side).
    public func setLatency(_ latency: Duration) {
        state.withLock { $0.latency = latency }
    }

    static func normalizedPrefix(_ prefix: String) -> String {
        var p = prefix
        while p.hasSuffix("/") { p.removeLast() }
        if !p.isEmpty, !p.hasPrefix("/") { p = "/" + p }
        return p
    }
}

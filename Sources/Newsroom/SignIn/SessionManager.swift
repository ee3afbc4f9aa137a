import Foundation
import Hummingbird
import Storage
import GitHub

/// The signed-in person, as the gate admitted them; the session middleware puts it in the request context.
public struct Member: Sendable, Equatable {
    public var githubID: Int64
    public var login: String
    public var name: String?
    public var avatarURL: String?
    public var admittedBy: String
    public var csrfToken: String
    public var membershipCheckedAt: Date
    public var sessionExpiresAt: Date
    /// One-time message taken from the session ("Signed in as octocat").
    public var flash: String?
    /// Hash of the session id: the row's key. The id itself lives only in the browser's cookie.
    var sessionIDHash: String
}

/// Server-side sessions in SQLite: random 256-bit ids stored hashed, idle and absolute timeouts,
/// membership re-checked with the stored token once it is older than the TTL.
public final class SessionManager: Sendable {
    let store: Store
    let sealer: TokenSealer
    let gate: Gate
    let config: AppConfig
    let deps: AppDependencies
    /// lastSeenAt is written at most this often, so reading a page is not a database write.
    static let touchInterval: TimeInterval = 60

    public init(store: Store, sealer: TokenSealer, gate: Gate, config: AppConfig, dependencies: AppDependencies) {
        self.store = store
        self.sealer = sealer
        self.gate = gate
        self.config = config
        self.deps = dependencies
    }

    /// `__Host-` prefixed when cookies are Secure; browsers refuse that prefix without Secure.
    public var sessionCookieName: String { config.cookiesAreSecure ? "__Host-newsroom-session" : "newsroom-session" }
    public var loginCookieName: String { config.cookiesAreSecure ? "__Host-newsroom-login" : "newsroom-login" }
    public var flashCookieName: String { config.cookiesAreSecure ? "__Host-newsroom-flash" : "newsroom-flash" }

    public enum Resolution: Sendable {
        case anonymous
        /// The cookie named a session that is gone or timed out: clear it.
        case ended
        /// The membership re-check refused this session (it has been deleted).
        case revoked(DenialReason, login: String)
        case member(Member)
    }

    public func resolve(_ request: Request) async -> Resolution {
        guard let id = request.cookies[sessionCookieName]?.value, !id.isEmpty, id.utf8.count <= 128 else { return .anonymous }
        let idHash = Opaque.hash(id)
        let now = deps.now()
        guard let session = try? store.session(idHash: idHash) else { return .ended }
        let idleLimit = session.lastSeenAt.addingTimeInterval(seconds(config.idleTimeout))
        if now >= session.absoluteExpiresAt || now >= idleLimit {
            _ = try? store.deleteSession(idHash: idHash)
            return .ended
        }
        guard let storedUser = try? store.user(githubID: session.githubID) else {
            _ = try? store.deleteSession(idHash: idHash)
            return .ended
        }
        var user = storedUser
        var checkedAt = session.membershipCheckedAt
        var admittedBy = session.admittedBy
        if now.timeIntervalSince(session.membershipCheckedAt) >= seconds(config.membershipTTL) {
            switch await recheck(session, user: user, now: now) {
            case .admitted(let rule, let current):
                checkedAt = now
                admittedBy = rule
                user = current
            case .keep:
                break
            case .refuse(let reason):
                _ = try? store.deleteSession(idHash: idHash)
                return .revoked(reason, login: user.login)
            }
        }
        if now.timeIntervalSince(session.lastSeenAt) >= Self.touchInterval { _ = try? store.touchSession(idHash: idHash, at: now) }
        let flash = session.flash == nil ? nil : (try? store.takeFlash(idHash: idHash)) ?? nil
        return .member(Member(
            githubID: user.githubID, login: user.login, name: user.name, avatarURL: user.avatarURL, admittedBy: admittedBy,
            csrfToken: session.csrfToken, membershipCheckedAt: checkedAt,
            sessionExpiresAt: min(session.absoluteExpiresAt, now.addingTimeInterval(seconds(config.idleTimeout))),
            flash: flash, sessionIDHash: idHash))
    }

    private enum Recheck { case admitted(String, UserRecord), keep, refuse(DenialReason) }

    /// Re-runs the gate with the stored token. If GitHub cannot be reached, the last good check holds for one more TTL.
    private func recheck(_ session: SessionRecord, user: UserRecord, now: Date) async -> Recheck {
        guard let token = sealer.open(session.encryptedToken) else { return .refuse(.tokenRevoked) }
        var current = user
        let decision: GateDecision
        // `/user` first: a revoked token shows even when no rule calls GitHub (any user, listed users),
        // and team and user rules compare the login the account has now, not the one it signed in with.
        switch await currentAccount(token: token) {
        case .refused(let reason):
            decision = .denied(reason)
        case .found(let account):
            guard account.id == user.githubID else { return .refuse(.tokenRevoked) }
            if account.login != user.login || account.name != user.name || account.avatarURL != user.avatarURL {
                current = UserRecord(githubID: user.githubID, login: account.login, name: account.name, avatarURL: account.avatarURL,
                                     createdAt: user.createdAt, updatedAt: now)
                current = (try? store.upsertUser(current)) ?? current
            }
            decision = await gate.check(account, token: token)
        }
        switch decision {
        case .admitted(let rule):
            _ = try? store.updateMembership(idHash: session.idHash, checkedAt: now, lastGoodCheckAt: now, admittedBy: rule)
            return .admitted(rule, current)
        case .denied(.githubUnavailable):
            let graceEnds = session.lastGoodCheckAt.addingTimeInterval(2 * seconds(config.membershipTTL))
            guard now < graceEnds else { return .refuse(.githubUnavailable) }
            _ = try? store.updateMembership(idHash: session.idHash, checkedAt: now, lastGoodCheckAt: session.lastGoodCheckAt, admittedBy: session.admittedBy)
            return .keep
        case .denied(let reason):
            return .refuse(reason)
        }
    }

    /// `GET /user` with the stored token: 401 means revoked; anything else that fails means GitHub is unavailable.
    private func currentAccount(token: String) async -> CurrentAccount {
        do {
            return .found(try await gate.github.user(token: token))
        } catch .badCredentials {
            return .refused(.tokenRevoked)
        } catch {
            return .refused(.githubUnavailable)
        }
    }

    private enum CurrentAccount { case found(GitHubUser), refused(DenialReason) }

    /// A fresh session for a newly admitted user: a new id every sign-in (the old one, if any, is deleted).
    public func start(user: GitHubUser, token: AccessToken, admittedBy: String, replacing oldCookie: String?) throws -> Cookie {
        let now = deps.now()
        if let oldCookie, !oldCookie.isEmpty { _ = try? store.deleteSession(idHash: Opaque.hash(oldCookie)) }
        try store.upsertUser(UserRecord(githubID: user.id, login: user.login, name: user.name, avatarURL: user.avatarURL, createdAt: now, updatedAt: now))
        let id = Opaque.base64url(deps.randomBytes(32))
        try store.createSession(SessionRecord(
            idHash: Opaque.hash(id), githubID: user.id, csrfToken: Opaque.base64url(deps.randomBytes(32)),
            encryptedToken: try sealer.seal(token.token), admittedBy: admittedBy, membershipCheckedAt: now, lastGoodCheckAt: now,
            createdAt: now, lastSeenAt: now, absoluteExpiresAt: now.addingTimeInterval(seconds(config.absoluteTimeout)),
            flash: "Signed in as \(user.login)"))
        return cookie(sessionCookieName, value: id, maxAge: Int(seconds(config.absoluteTimeout)))
    }

    /// Deletes the session; returns the stored token so logout can revoke it at GitHub if configured.
    public func end(_ member: Member) -> String? {
        let token = (try? store.session(idHash: member.sessionIDHash)).flatMap { $0.map { sealer.open($0.encryptedToken) } } ?? nil
        _ = try? store.deleteSession(idHash: member.sessionIDHash)
        return token
    }

    public func cookie(_ name: String, value: String, maxAge: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: config.cookiesAreSecure, httpOnly: true, sameSite: .lax)
    }

    public func expiredCookie(_ name: String) -> Cookie { cookie(name, value: "", maxAge: 0) }

    func seconds(_ d: Duration) -> TimeInterval { TimeInterval(d.components.seconds) }
}

import Foundation
import Synchronization
import Crypto
import Hummingbird
import Storage
import GitHub
import Logging

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
    let store: any Store
    let sealer: TokenSealer
    let gate: Gate
    let config: AppConfig
    let deps: AppDependencies
    /// lastSeenAt is written at most this often, so reading a page is not a database write.
    static let touchInterval: TimeInterval = 60
    /// Recently read rows, so a page view is not two database reads (see `SessionCache`). Shared with the pipeline,
    /// whose change follower drops what other instances ended.
    let cache: SessionCache
    /// One re-check per session at a time: concurrent requests share it, so a rotating refresh token is spent once.
    let rechecks = SingleFlight<Recheck>()
    /// Expiring tokens are refreshed this long before they run out.
    static let refreshMargin: TimeInterval = 300
    /// Ended sessions: refused in memory at once, their rows deleted (a failed delete is retried, never ignored).
    let revocations: SessionRevocations
    /// Rendered pages keyed by the session: a member's are dropped when their session ends.
    let pages: NewsPageCache?

    public convenience init(store: any Store, sealer: TokenSealer, gate: Gate, config: AppConfig, dependencies: AppDependencies) {
        self.init(store: store, sealer: sealer, gate: gate, config: config, dependencies: dependencies,
                  logger: Logger(label: "newsroom.sessions"), pages: nil)
    }

    init(store: any Store, sealer: TokenSealer, gate: Gate, config: AppConfig, dependencies: AppDependencies, logger: Logger,
         pages: NewsPageCache?, denyList: any SessionDenyList = LocalSessionDenyList(),
         deleteRetryInterval: Duration = SessionRevocations.defaultRetryInterval,
         cache: SessionCache = SessionCache(ttl: 5), changes: (any ChangeChannel)? = nil) {
        self.store = store
        self.sealer = sealer
        self.gate = gate
        self.config = config
        self.deps = dependencies
        self.pages = pages
        self.cache = cache
        revocations = SessionRevocations(store: store, denyList: denyList, retryInterval: deleteRetryInterval, logger: logger,
                                         changes: changes, onEnded: { idHash in pages?.evictPages(of: idHash) })
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
        /// The session could not be read (the database failed): the row is kept and the request gets a 503.
        case unavailable
    }

    public func resolve(_ request: Request) async -> Resolution {
        guard let id = request.cookies[sessionCookieName]?.value, !id.isEmpty, id.utf8.count <= 128 else { return .anonymous }
        let idHash = Opaque.hash(id)
        // Read before the deny-list: a session ended after this point cannot be cached by this request (see `delete`).
        let generation = cache.generation
        // Before the cache and the database: a session whose row could not be deleted yet is over all the same.
        switch revocations.standing(of: idHash) {
        case .clear: break
        case .denied: return .ended
        case .untrusted: return .unavailable
        }
        let now = deps.now()
        let cached = cache.entry(idHash, now: now)
        let loaded: (SessionRecord, UserRecord)
        if let cached {
            loaded = (cached.session, cached.user)
        } else {
            // A database error is not a sign-out: the session stays for when the database answers again.
            let row: (SessionRecord, UserRecord)?
            do { row = try await read(idHash) } catch { return .unavailable }
            guard let row else { return .ended }
            loaded = row
        }
        var (session, user) = loaded
        // Every check below runs on cached rows too: the cache saves reads, never a timeout or a re-check.
        let idleLimit = session.lastSeenAt.addingTimeInterval(seconds(config.idleTimeout))
        if now >= session.absoluteExpiresAt || now >= idleLimit {
            await delete(idHash, because: .timedOut)
            return .ended
        }
        var checkedAt = session.membershipCheckedAt
        if now.timeIntervalSince(session.membershipCheckedAt) >= seconds(config.membershipTTL) {
            switch await rechecks.run(idHash, { [session, user] in await self.recheck(session, user: user, now: now) }) {
            case .admitted(let rule, let current):
                checkedAt = now
                (session.membershipCheckedAt, session.lastGoodCheckAt, session.admittedBy) = (now, now, rule)
                user = current
                session = await reloadTokens(session)
            case .keep:
                session.membershipCheckedAt = now  // as stored: the next check is one TTL away
                session = await reloadTokens(session)
            case .refuse(let reason):
                await delete(idHash, because: .refusedByRecheck)
                return .revoked(reason, login: user.login)
            }
        }
        if now.timeIntervalSince(session.lastSeenAt) >= Self.touchInterval {
            _ = try? await store.touchSession(idHash: idHash, at: now)
            session.lastSeenAt = now
        }
        var flash: String?
        var cacheable = true
        if session.flash != nil {
            // Taken in one transaction so it shows once; if taking failed, leave it for the next read to retry.
            do { flash = try await store.takeFlash(idHash: idHash); session.flash = nil } catch { cacheable = false }
        }
        if cacheable { cache.store(.init(session: session, user: user, readAt: cached?.readAt ?? now), for: idHash, ifGeneration: generation) }
        return .member(Member(
            githubID: user.githubID, login: user.login, name: user.name, avatarURL: user.avatarURL, admittedBy: session.admittedBy,
            csrfToken: session.csrfToken, membershipCheckedAt: checkedAt,
            sessionExpiresAt: min(session.absoluteExpiresAt, now.addingTimeInterval(seconds(config.idleTimeout))),
            flash: flash, sessionIDHash: idHash))
    }

    /// The session row and its user; nil when there is no such session, or when its user is gone (then the
    /// session is deleted). Throws when the database fails, so the caller can tell that from "no session".
    private func read(_ idHash: String) async throws -> (SessionRecord, UserRecord)? {
        guard let session = try await store.session(idHash: idHash) else { return nil }
        guard let user = try await store.user(githubID: session.githubID) else {
            await delete(idHash, because: .userGone)
            return nil
        }
        return (session, user)
    }

    /// Every session ends here: `revocations` refuses it in memory until its row is deleted, and the cached copy
    /// goes before the delete, so no request can see the session after its row is gone. Returns whether the row is
    /// gone already.
    @discardableResult
    private func delete(_ idHash: String, because cause: SessionRevocations.Cause) async -> Bool {
        await revocations.end(idHash, because: cause, dropCopies: { cache.remove(idHash) })
    }

    enum Recheck: Sendable { case admitted(String, UserRecord), keep, refuse(DenialReason) }

    /// A refresh may have replaced the sealed token pair in the row: carry it over, keep the rest as resolved.
    private func reloadTokens(_ session: SessionRecord) async -> SessionRecord {
        guard session.tokenExpiresAt != nil, let stored = (try? await store.session(idHash: session.idHash)) ?? nil else { return session }
        var session = session
        (session.encryptedToken, session.encryptedRefreshToken, session.tokenExpiresAt) = (stored.encryptedToken, stored.encryptedRefreshToken, stored.tokenExpiresAt)
        return session
    }

    /// Re-runs the gate with the stored token (refreshed first if it is about to expire). If GitHub cannot be
    /// reached, the last good check holds for one more TTL.
    private func recheck(_ cached: SessionRecord, user: UserRecord, now: Date) async -> Recheck {
        // A request that read the row before another one finished this re-check (and spent the refresh token)
        // must not run it again: start from the row as stored now.
        var session = cached
        do {
            guard let stored = try await store.session(idHash: cached.idHash) else { return .refuse(.tokenRevoked) }
            session = stored
        } catch {}
        if now.timeIntervalSince(session.membershipCheckedAt) < seconds(config.membershipTTL) {
            return session.lastGoodCheckAt == session.membershipCheckedAt ? .admitted(session.admittedBy, user) : .keep
        }
        // Unreadable (old format, another row's ciphertext, rotated key): treated as revoked, so the session ends.
        guard var token = sealer.open(session.encryptedToken, kind: .access, session: session.idHash) else { return .refuse(.tokenRevoked) }
        var current = user
        var decision: GateDecision?
        // GitHub asked to wait: no session asks it anything before then (the last good check holds meanwhile).
        if let until = gate.github.rateLimitedUntil(now: now) { decision = .denied(.rateLimited(until: until)) }
        if decision == nil, let expiresAt = session.tokenExpiresAt, now >= expiresAt.addingTimeInterval(-Self.refreshMargin) {
            switch await refreshToken(of: session, now: now) {
            case .refreshed(let fresh): token = fresh
            case .refused(let reason): decision = .denied(reason)
            }
        }
        // `/user` first: a revoked token shows even when no rule calls GitHub (any user, listed users),
        // and team and user rules compare the login the account has now, not the one it signed in with.
        switch decision == nil ? await currentAccount(token: token) : nil {
        case nil:
            break
        case .refused(let reason):
            decision = .denied(reason)
        case .found(let account):
            guard account.id == user.githubID else { return .refuse(.tokenRevoked) }
            if account.login != user.login || account.name != user.name || account.avatarURL != user.avatarURL {
                current = UserRecord(githubID: user.githubID, login: account.login, name: account.name, avatarURL: account.avatarURL,
                                     createdAt: user.createdAt, updatedAt: now)
                current = (try? await store.upsertUser(current)) ?? current
            }
            decision = await gate.check(account, token: token)
        }
        switch decision ?? .denied(.githubUnavailable) {
        case .admitted(let rule):
            _ = try? await store.updateMembership(idHash: session.idHash, checkedAt: now, lastGoodCheckAt: now, admittedBy: rule)
            return .admitted(rule, current)
        case .denied(let reason) where reason.isTransient:
            let graceEnds = session.lastGoodCheckAt.addingTimeInterval(2 * seconds(config.membershipTTL))
            guard now < graceEnds else { return .refuse(reason) }
            _ = try? await store.updateMembership(idHash: session.idHash, checkedAt: now, lastGoodCheckAt: session.lastGoodCheckAt, admittedBy: session.admittedBy)
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
        } catch .rateLimited(let limit) {
            return .refused(.rateLimited(until: limit.until))
        } catch {
            return .refused(.githubUnavailable)
        }
    }

    private enum CurrentAccount { case found(GitHubUser), refused(DenialReason) }

    private enum Refresh { case refreshed(String), refused(DenialReason) }

    /// Trades the refresh token for a new pair and stores both sealed, in one write (the old pair is dead at
    /// GitHub from here on). A refused refresh token means signing in again.
    private func refreshToken(of session: SessionRecord, now: Date) async -> Refresh {
        guard let sealed = session.encryptedRefreshToken,
              let refreshToken = sealer.open(sealed, kind: .refresh, session: session.idHash) else { return .refused(.tokenRevoked) }
        let fresh: AccessToken
        do {
            fresh = try await gate.github.refresh(refreshToken: refreshToken)
        } catch {
            switch error {
            case .oauth, .badCredentials, .missingAccessToken, .unsupportedTokenType: return .refused(.tokenRevoked)
            default: return .refused(.githubUnavailable)
            }
        }
        do {
            let sealed = try seal(fresh, for: session.idHash)
            try await store.updateTokens(idHash: session.idHash, encryptedToken: sealed.token, encryptedRefreshToken: sealed.refresh,
                                   tokenExpiresAt: fresh.expiresIn.map { now.addingTimeInterval(TimeInterval($0)) })
        } catch {
            return .refused(.githubUnavailable)  // not stored: GitHub already rotated, so the next check asks for sign-in
        }
        return .refreshed(fresh.token)
    }

    /// A fresh session for a newly admitted user: a new id every sign-in (the old one, if any, is deleted).
    public func start(user: GitHubUser, token: AccessToken, admittedBy: String, replacing oldCookie: String?) async throws -> Cookie {
        let now = deps.now()
        // A failed delete does not stop the sign-in: the old session is refused in memory until its row is gone.
        if let oldCookie, !oldCookie.isEmpty, oldCookie.utf8.count <= 128 { await delete(Opaque.hash(oldCookie), because: .replacedAtSignIn) }
        try await store.upsertUser(UserRecord(githubID: user.id, login: user.login, name: user.name, avatarURL: user.avatarURL, createdAt: now, updatedAt: now))
        let id = Base64URL.encode(deps.randomBytes(32))
        let idHash = Opaque.hash(id)
        let sealed = try seal(token, for: idHash)
        try await store.createSession(SessionRecord(
            idHash: idHash, githubID: user.id, csrfToken: Base64URL.encode(deps.randomBytes(32)),
            encryptedToken: sealed.token, admittedBy: admittedBy, membershipCheckedAt: now, lastGoodCheckAt: now,
            createdAt: now, lastSeenAt: now, absoluteExpiresAt: now.addingTimeInterval(seconds(config.absoluteTimeout)),
            flash: "Signed in as \(user.login)",
            tokenExpiresAt: token.expiresIn.map { now.addingTimeInterval(TimeInterval($0)) },
            encryptedRefreshToken: sealed.refresh))
        return cookie(sessionCookieName, value: id, maxAge: Int(seconds(config.absoluteTimeout)))
    }

    /// The token pair as stored in the session row `idHash`: each sealed under its own kind's key, bound to that row.
    private func seal(_ token: AccessToken, for idHash: String) throws -> (token: [UInt8], refresh: [UInt8]?) {
        (try sealer.seal(token.token, kind: .access, session: idHash),
         try token.refreshToken.map { try sealer.seal($0, kind: .refresh, session: idHash) })
    }

    /// Ends the session (refused from now on, whatever the database does) and deletes its row. Returns the stored
    /// token, so logout can revoke it at GitHub if configured, and whether the row is gone (false: the delete failed
    /// and is being retried).
    public func end(_ member: Member) async -> (token: String?, deleted: Bool) {
        let stored = (try? await store.session(idHash: member.sessionIDHash)) ?? nil
        let token = stored.flatMap { sealer.open($0.encryptedToken, kind: .access, session: $0.idHash) }
        let deleted = await delete(member.sessionIDHash, because: .signOut)
        return (token, deleted)
    }

    public func cookie(_ name: String, value: String, maxAge: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: config.cookiesAreSecure, httpOnly: true, sameSite: .lax)
    }

    public func expiredCookie(_ name: String) -> Cookie { cookie(name, value: "", maxAge: 0) }

    func seconds(_ d: Duration) -> TimeInterval { TimeInterval(d.components.seconds) }
}

/// Session rows (with their user) read in the last `ttl` seconds of the injected clock, keyed by the id hash.
/// Only SessionManager writes sessions, and it updates or drops the entry with each write; the TTL bounds how
/// long a change made elsewhere (another session renaming the user) can go unseen.
final class SessionCache: Sendable {
    struct Entry: Sendable {
        var session: SessionRecord
        var user: UserRecord
        var readAt: Date
    }
    private struct State {
        var entries: [String: Entry] = [:]
        /// Bumped by every removal: a read that started before a logout must not put the session back.
        var generation: UInt64 = 0
    }
    private let state = Mutex(State())
    let ttl: TimeInterval
    /// Beyond this many live sessions the cache starts over rather than grow without bound.
    static let capacity = 10_000

    init(ttl: TimeInterval) { self.ttl = ttl }

    var generation: UInt64 { state.withLock { $0.generation } }

    func entry(_ idHash: String, now: Date) -> Entry? {
        state.withLock { state in
            guard let entry = state.entries[idHash] else { return nil }
            // A clock that went back counts as stale too.
            guard entry.readAt <= now, now.timeIntervalSince(entry.readAt) < ttl else {
                state.entries[idHash] = nil
                return nil
            }
            return entry
        }
    }

    func store(_ entry: Entry, for idHash: String, ifGeneration generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= Self.capacity && state.entries[idHash] == nil { state.entries.removeAll() }
            state.entries[idHash] = entry
        }
    }

    func remove(_ idHash: String) {
        state.withLock { state in
            state.entries[idHash] = nil
            state.generation &+= 1
        }
    }

    /// Forgets every copy: another instance's changes may have been missed (its change channel reconnected).
    func removeAll() {
        state.withLock { state in
            state.entries.removeAll()
            state.generation &+= 1
        }
    }
}

/// Runs one piece of work per key at a time; callers arriving while it runs get the same result.
final class SingleFlight<Value: Sendable>: Sendable {
    private let running = Mutex<[String: Task<Value, Never>]>([:])

    func run(_ key: String, _ work: @escaping @Sendable () async -> Value) async -> Value {
        let task = running.withLock { running in
            if let existing = running[key] { return existing }
            let task = Task { await work() }
            running[key] = task
            return task
        }
        let value = await task.value
        running.withLock { if $0[key] == task { $0[key] = nil } }
        return value
    }
}

import Foundation
import Logging
import Synchronization
import GitHub

/// The accounts `GITHUB_USERS` admits. The operator writes logins, but a login can be renamed away and then
/// registered by someone else; so each listed login is pinned to the numeric id it first resolves to (at start,
/// or on first use when GitHub could not answer then), and the gate admits only that account under that login.
/// A later answer never moves the pin: a login that changes hands keeps refusing its new holder.
public final class ListedAccounts: Sendable {
    /// What a listed login stands for now.
    public enum Resolution: Sendable, Equatable {
        case account(id: Int64)
        /// GitHub answered 404 for the login (renamed away, deleted, or never registered).
        case noSuchAccount
        /// Not resolved yet, and GitHub did not answer now (down, rate limiting): the gate fails closed.
        case unanswered(GitHubError)
    }

    private struct Listing {
        /// The account the login resolved to first; never replaced.
        var pinnedID: Int64?
        /// The latest answer was 404.
        var missing = false
    }

    /// Listed logins, keyed lowercased (GitHub logins compare case-insensitively).
    private let listings: Mutex<[String: Listing]>
    private let github: GitHubClient
    private let logger: Logger

    public init(logins: [String], github: GitHubClient, logger: Logger) {
        self.listings = Mutex(Dictionary(logins.map { ($0.lowercased(), Listing()) }, uniquingKeysWith: { first, _ in first }))
        self.github = github
        self.logger = logger
    }

    public var logins: [String] { listings.withLock { $0.keys.sorted() } }

    /// Whether every listed login has been resolved at least once.
    public var allResolved: Bool { listings.withLock { $0.values.allSatisfy { $0.pinnedID != nil } } }

    /// For the gate: the pinned account, asking GitHub only for a login never resolved yet. Nil when `login`
    /// is not listed.
    public func resolution(of login: String) async -> Resolution? {
        let key = login.lowercased()
        guard let listing = listings.withLock({ $0[key] }) else { return nil }
        if let pinned = listing.pinnedID { return listing.missing ? .noSuchAccount : .account(id: pinned) }
        do {
            let answer = try await github.accountID(login: key)
            record(answer, for: key)
        } catch {
            return .unanswered(error)
        }
        guard let now = listings.withLock({ $0[key] }) else { return nil }
        if let pinned = now.pinnedID, !now.missing { return .account(id: pinned) }
        return .noSuchAccount
    }

    /// Asks GitHub about every listed login (at start, then daily). Failures keep what is known and are
    /// logged; while GitHub's rate limit holds, nothing is asked. Returns false when some login went unanswered.
    @discardableResult
    public func refresh(now: Date) async -> Bool {
        if let until = github.rateLimitedUntil(now: now) {
            logger.notice("listed GitHub logins not refreshed: GitHub asked to wait until \(until.formatted(.iso8601))")
            return false
        }
        var complete = true
        for login in logins {
            do {
                record(try await github.accountID(login: login), for: login)
            } catch {
                complete = false
                logger.warning("could not resolve listed GitHub login '\(login)' now (it resolves on first use): \(error)")
                if case .rateLimited = error { break }  // the rest would be refused too, and count against the app
            }
        }
        return complete
    }

    /// Pins a first answer; later answers only tell whether the pinned account still holds the login.
    private func record(_ answer: Int64?, for login: String) {
        let change: (level: Logger.Level, message: String)? = listings.withLock { listings in
            guard let before = listings[login] else { return nil }
            var after = before
            after.pinnedID = before.pinnedID ?? answer
            after.missing = answer == nil
            listings[login] = after
            switch (before.pinnedID, answer) {
            case (nil, let id?):
                return (.info, "listed GitHub login '\(login)' is account \(id)")
            case (nil, nil):
                return (.warning, "listed GitHub login '\(login)' names no GitHub account")
            case (let pinned?, nil):
                return before.missing ? nil : (.warning, "listed GitHub login '\(login)' no longer names account \(pinned) (renamed or deleted): refused from now on")
            case (let pinned?, let id?) where id == pinned:
                return before.missing ? (.notice, "listed GitHub login '\(login)' names account \(pinned) again") : nil
            case (let pinned?, let id?):
                return (.warning, "listed GitHub login '\(login)' now belongs to account \(id), not account \(pinned) it was resolved to: account \(id) is refused")
            }
        }
        if let change { logger.log(level: change.level, "\(change.message)") }
    }
}

import Foundation
import Logging
import GitHub

/// Why someone was turned away; each case is worded for the denied page.
public enum DenialReason: Sendable, Equatable, Codable {
    case notMember(rules: String)
    case pending(org: String)
    case restricted(org: String, approvalURL: String)
    case samlRequired(org: String)
    case scopeNotGranted(String)
    case tokenRevoked
    case githubUnavailable
    /// GitHub asked to wait until `until` (its rate limit).
    case rateLimited(until: Date)
    case accessDeniedByUser
    case signInFailed(String)

    public var sentence: String {
        switch self {
        case .notMember(let rules): "This newsroom is for \(rules), and your GitHub account is not among them."
        case .pending(let org): "Your membership of \(org) is still pending: accept the invitation on GitHub, then sign in again."
        case .restricted(let org, _): "The \(org) organization restricts third-party apps, so newsroom cannot see your membership. Ask an owner of \(org) to approve this app."
        case .samlRequired(let org): "The \(org) organization requires SAML single sign-on: authorize your GitHub session for \(org), then sign in again."
        case .scopeNotGranted(let scope): "newsroom needs the \(scope) permission to check your membership, and it was not granted."
        case .tokenRevoked: "Your GitHub authorization for newsroom was revoked or has expired. Sign in again."
        case .githubUnavailable: "GitHub could not be reached to check your membership. Try again in a few minutes."
        case .rateLimited(let until): "GitHub is limiting requests; try again at \(Self.clockTime(until)) UTC."
        case .accessDeniedByUser: "You declined to authorize newsroom on GitHub."
        case .signInFailed(let why): "The sign-in did not complete: \(why)."
        }
    }

    /// A short label for logs and the /me page.
    public var code: String {
        switch self {
        case .notMember: "not-member"
        case .pending: "pending"
        case .restricted: "org-restricted"
        case .samlRequired: "saml-required"
        case .scopeNotGranted: "scope-not-granted"
        case .tokenRevoked: "token-revoked"
        case .githubUnavailable: "github-unavailable"
        case .rateLimited: "github-rate-limited"
        case .accessDeniedByUser: "access-denied"
        case .signInFailed: "sign-in-failed"
        }
    }

    /// GitHub did not answer now (down, or rate limiting): no verdict on the person, so a session's last good
    /// check may hold for a while.
    public var isTransient: Bool {
        switch self {
        case .githubUnavailable, .rateLimited: true
        default: false
        }
    }

    /// `HH:MM` in UTC, rounded up to the next whole minute so "try again at" is never too early.
    static func clockTime(_ date: Date) -> String {
        let minute = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.up) * 60)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.hour, .minute], from: minute)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }
}

public enum GateDecision: Sendable, Equatable {
    /// Admitted, with the rule that did it ("member of acme").
    case admitted(rule: String)
    case denied(DenialReason)
}

/// Applies the operator's rules to a GitHub user. Fails closed: only an explicit rule match admits.
public struct Gate: Sendable {
    public let rules: GateRules
    let github: GitHubClient
    /// `rules.users`, pinned to GitHub account ids.
    public let listedAccounts: ListedAccounts
    let logger: Logger

    /// - Parameter listedAccounts: the pins of a gate this one replaces (the same rules, rebuilt for a new public
    ///   URL), so its resolving service keeps serving the live gate; by default new ones, resolved on `github`.
    public init(rules: GateRules, github: GitHubClient, logger: Logger = Logger(label: "newsroom.gate"), listedAccounts: ListedAccounts? = nil) {
        self.rules = rules
        self.github = github
        self.listedAccounts = listedAccounts ?? ListedAccounts(logins: rules.users, github: github, logger: logger)
        self.logger = logger
    }

    /// At sign-in, where the token's granted scopes are known. GitHub Apps report no scopes at all, so a
    /// missing scope only explains a refusal, it never causes one.
    public func check(_ user: GitHubUser, token: AccessToken) async -> GateDecision {
        await check(user, token: token.token, missingScope: !rules.scopes.allSatisfy(token.grants))
    }

    /// On revalidation, with only the stored token at hand.
    public func check(_ user: GitHubUser, token: String) async -> GateDecision {
        await check(user, token: token, missingScope: false)
    }

    private func check(_ user: GitHubUser, token: String, missingScope: Bool) async -> GateDecision {
        if rules.allowAnyUser { return .admitted(rule: "any GitHub user") }
        var outcomes: [(org: String, result: MembershipResult)] = []
        // A listed login admits only the account it was resolved to: the login alone may have changed hands.
        switch await listedAccounts.resolution(of: user.login) {
        case nil:
            break
        case .noSuchAccount:
            logger.notice("listed GitHub login '\(user.login.lowercased())' named no account when last asked: account \(user.id) refused until it does")
        case .account(let id) where id == user.id:
            return .admitted(rule: "listed user \(user.login)")
        case .account(let id):
            logger.warning("listed GitHub login '\(user.login.lowercased())' is now held by account \(user.id), not account \(id) it was resolved to: refused")
        case .unanswered(let error):
            outcomes.append((user.login, error.asMembershipResult))
        }
        if let org = rules.org {
            let result = await github.orgMembership(org: org, token: token)
            if result.admits { return .admitted(rule: "member of \(org)") }
            outcomes.append((org, result))
        }
        for team in rules.teams {
            let result = await github.teamMembership(org: team.org, teamSlug: team.slug, login: user.login, token: token)
            if result.admits { return .admitted(rule: "member of \(team)") }
            outcomes.append((team.description, result))
        }
        let reason = mostTelling(outcomes)
        if missingScope, case .notMember = reason { return .denied(.scopeNotGranted(rules.scopes.joined(separator: ", "))) }
        return .denied(reason)
    }

    /// Of several failed rules, the reason a person can act on wins.
    private func mostTelling(_ outcomes: [(org: String, result: MembershipResult)]) -> DenialReason {
        let orgOf: (String) -> String = { String($0.split(separator: "/").first ?? Substring($0)) }
        for (_, result) in outcomes { if case .badCredentials = result { return .tokenRevoked } }
        for (name, result) in outcomes {
            switch result {
            case .restricted: return .restricted(org: orgOf(name), approvalURL: approvalURL)
            case .samlRequired: return .samlRequired(org: orgOf(name))
            default: continue
            }
        }
        for (name, result) in outcomes { if case .pending = result { return .pending(org: name) } }
        // Rate limiting says when to come back, which beats "try again in a few minutes".
        let waits = outcomes.compactMap { outcome -> Date? in
            if case .rateLimited(let limit) = outcome.result { limit.until } else { nil }
        }
        if let until = waits.max() { return .rateLimited(until: until) }
        for (_, result) in outcomes { if case .unavailable = result { return .githubUnavailable } }
        return .notMember(rules: rules.summary)
    }

    /// Where a user asks for the app to be approved (spec §4.6).
    var approvalURL: String {
        let web = github.configuration.authURL.replacingOccurrences(of: "/login/oauth/", with: "/")
        return web + "settings/connections/applications/" + github.configuration.clientID
    }
}

private extension GitHubError {
    /// A lookup GitHub did not answer, as the gate weighs failed rules.
    var asMembershipResult: MembershipResult {
        if case .rateLimited(let limit) = self { return .rateLimited(limit) }
        return .unavailable(reason: description)
    }
}

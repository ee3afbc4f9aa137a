import Foundation
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
        case .accessDeniedByUser: "access-denied"
        case .signInFailed: "sign-in-failed"
        }
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

    public init(rules: GateRules, github: GitHubClient) {
        self.rules = rules
        self.github = github
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
        if rules.users.contains(where: { $0.caseInsensitiveCompare(user.login) == .orderedSame }) {
            return .admitted(rule: "listed user \(user.login)")
        }
        var outcomes: [(org: String, result: MembershipResult)] = []
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
        for (_, result) in outcomes {
            switch result {
            case .unavailable, .rateLimited: return .githubUnavailable
            default: continue
            }
        }
        return .notMember(rules: rules.summary)
    }

    /// Where a user asks for the app to be approved (spec §4.6).
    var approvalURL: String {
        let web = github.configuration.authURL.replacingOccurrences(of: "/login/oauth/", with: "/")
        return web + "settings/connections/applications/" + github.configuration.clientID
    }
}

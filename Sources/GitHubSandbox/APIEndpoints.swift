import Foundation
import HTTPTypes
import Hummingbird

extension GitHubSandbox {
    static let userAgentRejection = "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.\n"

    /// What `X-Accepted-OAuth-Scopes` lists for the org endpoints.
    static let orgScopes = "admin:org, read:org, repo, user, write:org"

    static func restrictionMessage(org: String) -> String {
        "Although you appear to have the correct authorization credentials, the `\(org)` organization has enabled OAuth App access restrictions, meaning that data access to third-parties is limited. For more information on these restrictions, including how to enable this app, visit https://docs.github.com/articles/restricting-access-to-your-organization-s-data/"
    }

    // MARK: Gates, in GitHub's order

    /// User-Agent first, then any injected failure, then the rate limit: every API call passes these before anything else.
    private func gate(_ call: SandboxCall) -> Response? {
        guard let agent = call.header(.userAgent), !agent.isEmpty else {
            return .text(.forbidden, Self.userAgentRejection, contentType: "text/plain; charset=utf-8")
        }
        if let injected = state.withLock({ $0.injectedAPIResponses.isEmpty ? nil : $0.injectedAPIResponses.removeFirst() }) {
            return Response(injected, headers: rateLimitHeaders(caller: "injected"))
        }
        return state.withLock({ $0.requestLimit }).map(limited)
    }

    /// GitHub's answers while it rate-limits (REST docs, "Exceeding the rate limit"): the primary quota spent
    /// says when it refills; a secondary limit says how long to wait.
    private func limited(_ limit: SandboxRateLimit) -> Response {
        switch limit {
        case .primary(let status, let resetAt):
            let headers: HTTPFields = [.rateLimitLimit: "5000", .rateLimitRemaining: "0", .rateLimitUsed: "5000",
                                       .rateLimitReset: String(Int(resetAt.timeIntervalSince1970)), .rateLimitResource: "core"]
            return .githubError(.init(code: status), "API rate limit exceeded.", headers: headers)
        case .secondary(let status, let retryAfter):
            var headers = rateLimitHeaders(caller: "limited")
            headers[.retryAfter] = String(retryAfter)
            return .githubError(.init(code: status), "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                                headers: headers)
        }
    }

    /// A user-token call: `Authorization: Bearer …` or `token …`; answers carry the token's scopes.
    func withToken(_ call: SandboxCall, acceptedScopes: String = orgScopes, _ respond: (IssuedToken) -> Response) -> Response {
        if let refused = gate(call) { return refused }
        guard let (token, issued) = bearer(call.header(.authorization)) else {
            let message = call.header(.authorization) == nil ? "Requires authentication" : "Bad credentials"
            return withRateLimit(.githubError(.unauthorized, message), caller: "anonymous")
        }
        var response = respond(issued)
        response.headers[.oauthScopes] = issued.scopes.joined(separator: ", ")
        response.headers[.acceptedOAuthScopes] = acceptedScopes
        return withRateLimit(response, caller: token)
    }

    /// A public read (`GET /users/{username}`): anonymous, a user token, or the app's Basic client credentials
    /// (GitHub's way for an OAuth app to read public data on its own quota). Credentials that are sent must be good.
    func withAnyCaller(_ call: SandboxCall, _ respond: () -> Response) -> Response {
        if let refused = gate(call) { return refused }
        guard let authorization = call.header(.authorization) else { return withRateLimit(respond(), caller: "anonymous") }
        if let basic = BasicCredentials(header: authorization) {
            guard let app = state.withLock({ $0.apps[basic.user] }), constantTimeEquals(app.clientSecret, basic.password) else {
                return withRateLimit(.githubError(.unauthorized, "Bad credentials"), caller: "apps")
            }
            return withRateLimit(respond(), caller: "apps")
        }
        guard let (token, _) = bearer(authorization) else { return withRateLimit(.githubError(.unauthorized, "Bad credentials"), caller: "anonymous") }
        return withRateLimit(respond(), caller: token)
    }

    /// An app call under `/applications/{client_id}/…`: Basic client credentials and an `access_token` body.
    func withClient(_ call: SandboxCall, _ respond: (SandboxOAuthApp, _ token: String) -> Response) -> Response {
        if let refused = gate(call) { return refused }
        guard let basic = BasicCredentials(header: call.header(.authorization)), basic.user == call.parameter("client_id"),
              let app = state.withLock({ $0.apps[basic.user] }), constantTimeEquals(app.clientSecret, basic.password) else {
            return withRateLimit(.githubError(.unauthorized, "Bad credentials"), caller: "apps")
        }
        guard let body = try? JSONDecoder().decode(AccessTokenBody.self, from: Data(call.body.readableBytesView)) else {
            return withRateLimit(.githubError(.unprocessableContent, "Invalid request.\n\n\"access_token\" wasn't supplied."), caller: "apps")
        }
        return withRateLimit(respond(app, body.accessToken), caller: "apps")
    }

    /// GitHub's 404 for API paths it does not know, after the same gates as a known path.
    /// Below `/applications` the caller is an app, so no user token is asked for.
    func unknownAPIPath(_ call: SandboxCall, applications: Bool) -> Response {
        guard applications else { return withToken(call) { _ in .githubError(.notFound, "Not Found") } }
        if let refused = gate(call) { return refused }
        return withRateLimit(.githubError(.notFound, "Not Found"), caller: "apps")
    }

    private func bearer(_ header: String?) -> (String, IssuedToken)? {
        guard let parts = header?.split(separator: " ", maxSplits: 1), parts.count == 2,
              ["bearer", "token"].contains(parts[0].lowercased()) else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        let current = now
        guard let issued = state.withLock({ $0.tokens[token] }), issued.expiresAt.map({ current < $0 }) ?? true else { return nil }
        return (token, issued)
    }

    private func withRateLimit(_ response: Response, caller: String) -> Response {
        var response = response
        response.headers.append(contentsOf: rateLimitHeaders(caller: caller))
        return response
    }

    /// GitHub sends these on every API response; `caller` buckets the count (the token itself is never logged).
    private func rateLimitHeaders(caller: String) -> HTTPFields {
        let limit = 5000
        let used = state.withLock { s -> Int in
            s.apiCallsThisHour[caller, default: 0] += 1
            return s.apiCallsThisHour[caller]!
        }
        return [.rateLimitLimit: String(limit), .rateLimitRemaining: String(max(0, limit - used)), .rateLimitUsed: String(used),
                .rateLimitReset: String(Int(now.timeIntervalSince1970) + 3600), .rateLimitResource: "core"]
    }

    // MARK: Endpoints

    func user(_ issued: IssuedToken) -> Response {
        guard let user = state.withLock({ $0.users[issued.userID] }) else { return .githubError(.unauthorized, "Bad credentials") }
        return .json(.ok, AuthenticatedUser(user))
    }

    /// `GET /users/{username}`: the public profile of whoever holds the login now (case-insensitive), else 404.
    func userByLogin(_ login: String) -> Response {
        guard let user = state.withLock({ s in s.userID(login: login).flatMap { s.users[$0] } }) else {
            return .githubError(.notFound, "Not Found")
        }
        return .json(.ok, AuthenticatedUser(user))
    }

    /// Private membership is visible only with an org-reading scope (spec §4.5).
    private static func canReadOrg(_ issued: IssuedToken) -> Bool {
        !Set(issued.scopes).isDisjoint(with: ["read:org", "write:org", "admin:org"])
    }

    /// The 403 an org answers with when it restricts or SSO-protects this app, else nil.
    private func orgBarrier(_ org: SandboxOrg) -> Response? {
        if org.restricted { return .githubError(.forbidden, Self.restrictionMessage(org: org.login)) }
        if org.samlRequired {
            return .githubError(.forbidden, "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.",
                                headers: [.gitHubSSO: "required; url=https://github.com/orgs/\(org.login)/sso?authorization_request=sandbox"])
        }
        return nil
    }

    func orgMembership(org name: String, _ issued: IssuedToken) -> Response {
        let (org, user) = state.withLock { s in (s.orgKey(name).flatMap { s.orgs[$0] }, s.users[issued.userID]) }
        guard let org, let user else { return .githubError(.notFound, "Not Found") }
        if let barrier = orgBarrier(org) { return barrier }
        guard Self.canReadOrg(issued), let membership = org.members[user.id] else { return .githubError(.notFound, "Not Found") }
        return .json(.ok, OrgMembershipBody(org: org, user: user, membership: membership))
    }

    func teamMembership(org name: String, team: String, login: String, _ issued: IssuedToken) -> Response {
        let (org, target) = state.withLock { s in (s.orgKey(name).flatMap { s.orgs[$0] }, s.userID(login: login)) }
        guard let org else { return .githubError(.notFound, "Not Found") }
        if let barrier = orgBarrier(org) { return barrier }
        // The team must be visible to the requester: an active org member with an org-reading scope.
        guard Self.canReadOrg(issued), org.members[issued.userID]?.state == .active,
              let members = org.teams[team.lowercased()], let target, let membership = members[target] else {
            return .githubError(.notFound, "Not Found")
        }
        return .json(.ok, TeamMembershipBody(url: "https://api.github.com/teams/1/memberships/\(login)", role: membership.role,
                                             state: membership.state.rawValue))
    }

    /// `GET /orgs/{org}/members/{login}`: 204 / 404, or 302 to `public_members` for a non-member requester.
    func orgMember(org name: String, login: String, _ issued: IssuedToken) -> Response {
        let (org, target) = state.withLock { s in (s.orgKey(name).flatMap { s.orgs[$0] }, s.userID(login: login)) }
        guard let org else { return .githubError(.notFound, "Not Found") }
        guard org.members[issued.userID]?.state == .active else {
            // Relative to this server when it is mounted in another app (no origin of its own).
            return Response(status: .found, headers: [.location: (origin ?? "") + apiPrefix + "/orgs/\(org.login)/public_members/\(login.percentEscaped)"])
        }
        if let target, org.members[target]?.state == .active { return Response(status: .noContent) }
        return .githubError(.notFound, "Not Found")
    }

    /// `DELETE …/token`, `DELETE …/grant` and `POST …/token` (check) for a token of `app`.
    func applicationToken(_ endpoint: SandboxEndpoint, app: SandboxOAuthApp, token: String) -> Response {
        state.withLock { s -> Response in
            guard let issued = s.tokens[token], issued.clientID == app.clientID else { return .githubError(.notFound, "Not Found") }
            let sameGrant = { (userID: Int64, clientID: String) in userID == issued.userID && clientID == app.clientID }
            switch endpoint {
            case .revokeToken:
                s.tokens[token] = nil
                s.refreshTokens = s.refreshTokens.filter { $0.value.accessToken != token }
            case .revokeGrant:
                s.tokens = s.tokens.filter { !sameGrant($0.value.userID, $0.value.clientID) }
                s.refreshTokens = s.refreshTokens.filter { !sameGrant($0.value.userID, $0.value.clientID) }
                s.grants[GrantKey(userID: issued.userID, clientID: app.clientID)] = nil
            default:
                return .json(.ok, TokenCheckBody(scopes: issued.scopes, user: s.users[issued.userID].map(SimpleUser.init), app: .init(clientID: app.clientID)))
            }
            return Response(status: .noContent)
        }
    }
}

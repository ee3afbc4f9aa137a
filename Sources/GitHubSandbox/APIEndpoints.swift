import Foundation

extension GitHubSandbox {
    static let userAgentRejection = "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.\n"

    static func restrictionMessage(org: String) -> String {
        "Although you appear to have the correct authorization credentials, the `\(org)` organization has enabled OAuth App access restrictions, meaning that data access to third-parties is limited. For more information on these restrictions, including how to enable this app, visit https://docs.github.com/articles/restricting-access-to-your-organization-s-data/"
    }

    /// REST API under `apiPrefix`: User-Agent check, injected failures, auth, then the endpoint.
    func api(_ request: IncomingRequest, segments: [String]) -> (SandboxEndpoint, OutgoingResponse) {
        let endpoint = Self.classify(method: request.method, segments)
        guard let agent = request.header("User-Agent"), !agent.isEmpty else {
            return (endpoint, OutgoingResponse(status: 403, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Self.userAgentRejection))
        }
        if let injected = state.withLock({ $0.injectedAPIResponses.isEmpty ? nil : $0.injectedAPIResponses.removeFirst() }) {
            var headers = rateLimitHeaders(caller: "injected", remainingOverride: nil)
            headers.removeAll { name, _ in injected.headers.keys.contains { $0.lowercased() == name.lowercased() } }
            return (endpoint, OutgoingResponse(status: injected.status, headers: headers + injected.headers.map { ($0.key, $0.value) }, body: injected.body))
        }
        if segments.first == "applications" {
            return (endpoint, withRateLimit(applications(request, segments: segments), caller: "apps"))
        }
        guard let (token, issued) = bearer(request) else {
            let missing = request.header("Authorization") == nil
            return (endpoint, withRateLimit(.apiError(401, missing ? "Requires authentication" : "Bad credentials"), caller: "anonymous"))
        }
        let scopeHeaders = [("X-OAuth-Scopes", issued.scopes.joined(separator: ", "))]
        let response: OutgoingResponse
        switch (request.method, endpoint) {
        case ("GET", .user): response = user(issued)
        case ("GET", .orgMembership): response = orgMembership(org: segments[3], issued)
        case ("GET", .teamMembership): response = teamMembership(org: segments[1], team: segments[3], login: segments[5], issued)
        case ("GET", .orgMember): response = orgMember(org: segments[1], login: segments[3], issued)
        case ("GET", .publicMember): response = .apiError(404, "Not Found")
        default: response = .apiError(404, "Not Found")
        }
        var withScopes = response
        withScopes.headers += scopeHeaders + [("X-Accepted-OAuth-Scopes", endpoint == .user ? "" : "admin:org, read:org, repo, user, write:org")]
        return (endpoint, withRateLimit(withScopes, caller: token))
    }

    static func classify(method: String, _ s: [String]) -> SandboxEndpoint {
        switch s.count {
        case 1 where s[0] == "user": return .user
        case 4 where s[0] == "user" && s[1] == "memberships" && s[2] == "orgs": return .orgMembership
        case 4 where s[0] == "orgs" && s[2] == "members": return .orgMember
        case 4 where s[0] == "orgs" && s[2] == "public_members": return .publicMember
        case 6 where s[0] == "orgs" && s[2] == "teams" && s[4] == "memberships": return .teamMembership
        case 3 where s[0] == "applications" && s[2] == "grant" && method == "DELETE": return .revokeGrant
        case 3 where s[0] == "applications" && s[2] == "token" && method == "DELETE": return .revokeToken
        case 3 where s[0] == "applications" && s[2] == "token" && method == "POST": return .checkToken
        default: return .notFound
        }
    }

    /// `Authorization: Bearer …` or `token …`.
    private func bearer(_ request: IncomingRequest) -> (String, IssuedToken)? {
        guard let header = request.header("Authorization") else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, ["bearer", "token"].contains(parts[0].lowercased()) else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        let current = now
        guard let issued = state.withLock({ $0.tokens[token] }), issued.expiresAt.map({ current < $0 }) ?? true else { return nil }
        return (token, issued)
    }

    private func withRateLimit(_ response: OutgoingResponse, caller: String) -> OutgoingResponse {
        var response = response
        response.headers += rateLimitHeaders(caller: caller, remainingOverride: nil)
        return response
    }

    /// GitHub sends these on every API response; `caller` buckets the count (the token itself is never logged).
    private func rateLimitHeaders(caller: String, remainingOverride: Int?) -> [(String, String)] {
        let limit = 5000
        let used = state.withLock { s -> Int in
            s.apiCallsThisHour[caller, default: 0] += 1
            return s.apiCallsThisHour[caller]!
        }
        let reset = Int(now.timeIntervalSince1970) + 3600
        return [("X-RateLimit-Limit", String(limit)), ("X-RateLimit-Remaining", String(remainingOverride ?? max(0, limit - used))),
                ("X-RateLimit-Used", String(used)), ("X-RateLimit-Reset", String(reset)), ("X-RateLimit-Resource", "core")]
    }

    private func user(_ issued: IssuedToken) -> OutgoingResponse {
        guard let user = state.withLock({ $0.users[issued.userID] }) else { return .apiError(401, "Bad credentials") }
        return .json(200, Self.userJSON(user, full: true))
    }

    static func userJSON(_ user: SandboxUser, full: Bool) -> [String: Any] {
        var json: [String: Any] = ["login": user.login, "id": user.id, "type": "User", "site_admin": false,
                                   "url": "https://api.github.com/users/\(user.login)"]
        if full {
            json["name"] = user.name ?? NSNull()
            json["avatar_url"] = user.avatarURL ?? NSNull()
            json["email"] = NSNull()
        }
        return json
    }

    /// Private membership is visible only with an org-reading scope (spec §4.5).
    private static func canReadOrg(_ issued: IssuedToken) -> Bool {
        !Set(issued.scopes).isDisjoint(with: ["read:org", "write:org", "admin:org"])
    }

    /// The 403 an org answers with when it restricts or SSO-protects this app, else nil.
    private func orgBarrier(_ org: SandboxOrg) -> OutgoingResponse? {
        if org.restricted { return .apiError(403, Self.restrictionMessage(org: org.login)) }
        if org.samlRequired {
            return .apiError(403, "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.",
                             headers: [("X-GitHub-SSO", "required; url=https://github.com/orgs/\(org.login)/sso?authorization_request=sandbox")])
        }
        return nil
    }

    private func orgMembership(org name: String, _ issued: IssuedToken) -> OutgoingResponse {
        let (org, user) = state.withLock { s in (s.orgKey(name).flatMap { s.orgs[$0] }, s.users[issued.userID]) }
        guard let org, let user else { return .apiError(404, "Not Found") }
        if let barrier = orgBarrier(org) { return barrier }
        guard Self.canReadOrg(issued), let membership = org.members[user.id] else { return .apiError(404, "Not Found") }
        return .json(200, [
            "url": "https://api.github.com/orgs/\(org.login)/memberships/\(user.login)",
            "state": membership.state.rawValue, "role": membership.role,
            "organization_url": "https://api.github.com/orgs/\(org.login)",
            "organization": ["login": org.login, "id": org.id],
            "user": Self.userJSON(user, full: false),
        ])
    }

    private func teamMembership(org name: String, team: String, login: String, _ issued: IssuedToken) -> OutgoingResponse {
        let (org, target) = state.withLock { s in (s.orgKey(name).flatMap { s.orgs[$0] }, s.userID(login: login)) }
        guard let org else { return .apiError(404, "Not Found") }
        if let barrier = orgBarrier(org) { return barrier }
        // The team must be visible to the requester: an active org member with an org-reading scope.
        guard Self.canReadOrg(issued), org.members[issued.userID]?.state == .active,
              let members = org.teams[team.lowercased()], let target, let membership = members[target] else {
            return .apiError(404, "Not Found")
        }
        return .json(200, ["url": "https://api.github.com/teams/1/memberships/\(login)", "role": membership.role, "state": membership.state.rawValue])
    }

    /// `GET /orgs/{org}/members/{login}`: 204 / 404, or 302 to `public_members` for a non-member requester.
    private func orgMember(org name: String, login: String, _ issued: IssuedToken) -> OutgoingResponse {
        let (org, target) = state.withLock { s in (s.orgKey(name).flatMap { s.orgs[$0] }, s.userID(login: login)) }
        guard let org else { return .apiError(404, "Not Found") }
        guard org.members[issued.userID]?.state == .active else {
            return OutgoingResponse(status: 302, headers: [("Location", (self.apiURL ?? "/") + "orgs/\(org.login)/public_members/\(FormCoding.encode(login))")])
        }
        if let target, org.members[target]?.state == .active { return OutgoingResponse(status: 204) }
        return .apiError(404, "Not Found")
    }

    /// `DELETE /applications/{client_id}/token|grant` and `POST …/token` (check), authenticated with Basic client credentials.
    private func applications(_ request: IncomingRequest, segments: [String]) -> OutgoingResponse {
        let endpoint = Self.classify(method: request.method, segments)
        guard endpoint != .notFound else { return .apiError(404, "Not Found") }
        guard let basic = Self.basicCredentials(request.header("Authorization")), basic.user == segments[1],
              let app = state.withLock({ $0.apps[basic.user] }), Self.constantTimeEquals(app.clientSecret, basic.password) else {
            return .apiError(401, "Bad credentials")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
              let token = object["access_token"] as? String else {
            return .apiError(422, "Invalid request.\n\n\"access_token\" wasn't supplied.")
        }
        return state.withLock { s -> OutgoingResponse in
            guard let issued = s.tokens[token], issued.clientID == app.clientID else { return .apiError(404, "Not Found") }
            switch endpoint {
            case .revokeToken:
                s.tokens[token] = nil
                s.refreshTokens = s.refreshTokens.filter { $0.value.accessToken != token }
            case .revokeGrant:
                s.tokens = s.tokens.filter { !($0.value.userID == issued.userID && $0.value.clientID == app.clientID) }
                s.refreshTokens = s.refreshTokens.filter { !($0.value.userID == issued.userID && $0.value.clientID == app.clientID) }
                s.grants[GrantKey(userID: issued.userID, clientID: app.clientID)] = nil
            default:
                let user = s.users[issued.userID].map { Self.userJSON($0, full: false) } ?? [:]
                return .json(200, ["scopes": issued.scopes, "user": user, "app": ["client_id": app.clientID]])
            }
            return OutgoingResponse(status: 204)
        }
    }
}

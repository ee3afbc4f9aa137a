import Curl
import Foundation

extension GitHubClient {
    /// Step 3: who signed in. Call after every exchange and key accounts on `id`.
    public func user(token: String) async throws(GitHubError) -> GitHubUser {
        let response = try await send(apiRequest(method: "GET", path: ["user"], token: token))
        switch response.status {
        case 200:
            guard let user = try? JSONDecoder().decode(GitHubUser.self, from: Data(response.body)) else {
                throw .malformedResponse(endpoint: .user, detail: "expected a JSON object with id and login")
            }
            return user
        case 401:
            throw .badCredentials
        default:
            throw .unexpectedStatus(response.status, endpoint: .user)
        }
    }

    /// `GET /users/{login}`: the id of the account that holds `login` now; nil when none does (404, or a
    /// login that cannot be one). No user token exists when the app resolves its allowlist, so the call
    /// authenticates as the app (client id and secret), which GitHub counts against the app's own quota.
    public func accountID(login: String) async throws(GitHubError) -> Int64? {
        guard !login.isEmpty else { return nil }  // `users/` would be the list of every account
        let response = try await send(appRequest(method: "GET", path: ["users", login]))
        switch response.status {
        case 200:
            struct Account: Decodable { var id: Int64 }
            guard let account = try? JSONDecoder().decode(Account.self, from: Data(response.body)) else {
                throw .malformedResponse(endpoint: .users, detail: "expected a JSON object with id")
            }
            return account.id
        case 404:
            return nil
        case 401:
            throw .clientCredentialsRejected
        default:
            throw .unexpectedStatus(response.status, endpoint: .users)
        }
    }

    /// Step 4: `GET /user/memberships/orgs/{org}`. Compare org names case-insensitively; only `.active` admits.
    public func orgMembership(org: String, token: String) async -> MembershipResult {
        await membership(path: ["user", "memberships", "orgs", org], token: token)
    }

    /// Step 4b: `GET /orgs/{org}/teams/{slug}/memberships/{login}`; use the slug, not the display name.
    public func teamMembership(org: String, teamSlug: String, login: String, token: String) async -> MembershipResult {
        await membership(path: ["orgs", org, "teams", teamSlug, "memberships", login], token: token)
    }

    /// `DELETE /applications/{client_id}/token`: revokes this one token (an ordinary sign-out); the user's
    /// other tokens and the app's authorization stay.
    public func revokeToken(token: String) async throws(GitHubError) {
        try await revoke(kind: "token", token: token)
    }

    /// `DELETE /applications/{client_id}/grant` revokes every token of the user for this app and the
    /// authorization itself (the next sign-in asks for consent again).
    public func revokeGrant(token: String) async throws(GitHubError) {
        try await revoke(kind: "grant", token: token)
    }

    private func membership(path: [String], token: String) async -> MembershipResult {
        let response: CurlResponse
        do {
            response = try await send(apiRequest(method: "GET", path: path, token: token))
        } catch {
            if case .transport(.tooManyRedirects) = error { return .notMember }
            if case .rateLimited(let limit) = error { return .rateLimited(limit) }
            return .unavailable(reason: error.description)
        }
        return Self.membershipResult(from: response)
    }

    static func membershipResult(from response: CurlResponse) -> MembershipResult {
        switch response.status {
        case 200:
            struct Membership: Decodable { var state: String; var role: String? }
            guard let body = try? JSONDecoder().decode(Membership.self, from: Data(response.body)) else {
                return .unavailable(reason: "unreadable membership body")
            }
            switch body.state {
            case "active": return .active(role: body.role ?? "member")
            case "pending": return .pending
            default: return .unavailable(reason: "unknown membership state")
            }
        case 301, 302, 303, 307, 308, 404:
            return .notMember
        case 401:
            return .badCredentials
        case 403:
            // Rate limits never get here: `send` has already turned them into `.rateLimited`.
            if response.header("x-github-sso")?.lowercased().hasPrefix("required") == true { return .samlRequired }
            if String(decoding: response.body, as: UTF8.self).contains("OAuth App access restrictions") { return .restricted }
            return .forbidden
        case 500...599:
            return .unavailable(reason: "GitHub answered HTTP \(response.status)")
        default:
            return .unavailable(reason: "unexpected HTTP \(response.status)")
        }
    }

    /// 204 revoked; 404 or 422 (GitHub's "validation failed") mean the token is already gone, which is what
    /// revoking wants.
    private func revoke(kind: String, token: String) async throws(GitHubError) {
        let body = try? JSONSerialization.data(withJSONObject: ["access_token": token])
        let request = appRequest(method: "DELETE", path: ["applications", configuration.clientID, kind], body: body.map(Array.init))
        let response = try await send(request)
        switch response.status {
        case 200..<300, 404, 422: return
        case 401: throw .clientCredentialsRejected
        default: throw .unexpectedStatus(response.status, endpoint: .revocation)
        }
    }

    /// A REST request made as the app itself: HTTP Basic with the client id and secret, never a user token.
    private func appRequest(method: String, path: [String], body: [UInt8]? = nil) -> CurlRequest {
        var request = apiRequest(method: method, path: path, token: "", body: body)
        let basic = Data("\(configuration.clientID):\(configuration.clientSecret)".utf8).base64EncodedString()
        request.headers.removeAll { $0.name == "Authorization" }
        request.headers.append(("Authorization", "Basic \(basic)"))
        return request
    }
}

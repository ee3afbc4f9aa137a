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
            if let limit = Self.rateLimit(in: response) { throw .rateLimited(limit) }
            throw .unexpectedStatus(response.status, endpoint: .user)
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

    /// `--revoke-on-logout`: `DELETE /applications/{client_id}/grant` revokes every token of the user for this app.
    public func revokeGrant(token: String) async throws(GitHubError) {
        try await revoke(kind: "grant", token: token)
    }

    private func membership(path: [String], token: String) async -> MembershipResult {
        let response: CurlResponse
        do {
            response = try await send(apiRequest(method: "GET", path: path, token: token))
        } catch {
            if case .transport(.tooManyRedirects) = error { return .notMember }
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
        case 403, 429:
            if let limit = rateLimit(in: response) { return .rateLimited(limit) }
            if response.status == 429 { return .rateLimited(RateLimit()) }
            if response.header("x-github-sso")?.lowercased().hasPrefix("required") == true { return .samlRequired }
            if String(decoding: response.body, as: UTF8.self).contains("OAuth App access restrictions") { return .restricted }
            return .forbidden
        case 500...599:
            return .unavailable(reason: "GitHub answered HTTP \(response.status)")
        default:
            return .unavailable(reason: "unexpected HTTP \(response.status)")
        }
    }

    private func revoke(kind: String, token: String) async throws(GitHubError) {
        let body = try? JSONSerialization.data(withJSONObject: ["access_token": token])
        var request = apiRequest(
            method: "DELETE", path: ["applications", configuration.clientID, kind], token: token, body: body.map(Array.init))
        let basic = Data("\(configuration.clientID):\(configuration.clientSecret)".utf8).base64EncodedString()
        request.headers.removeAll { $0.name == "Authorization" }
        request.headers.append(("Authorization", "Basic \(basic)"))
        let response = try await send(request)
        switch response.status {
        case 200..<300: return
        case 401: throw .clientCredentialsRejected
        default:
            if let limit = Self.rateLimit(in: response) { throw .rateLimited(limit) }
            throw .unexpectedStatus(response.status, endpoint: .revocation)
        }
    }
}

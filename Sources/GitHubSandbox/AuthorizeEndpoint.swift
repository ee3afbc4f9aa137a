import Foundation
import Hummingbird

/// `GET /login/oauth/authorize`'s query; other parameters are ignored, as on GitHub.
struct AuthorizeQuery: Decodable {
    var clientID: String?
    var redirectURI: String?
    var scope: String?
    var state: String?
    var codeChallenge: String?
    var codeChallengeMethod: String?

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id", redirectURI = "redirect_uri", scope, state
        case codeChallenge = "code_challenge", codeChallengeMethod = "code_challenge_method"
    }
}

/// The account picker's form post.
struct AuthorizeDecision: Decodable {
    var authorizationRequest: String?
    /// Text, so that a bad id is reported as an unknown user after the pending request is used up.
    var userID: String?
    var decision: String?

    enum CodingKeys: String, CodingKey {
        case authorizationRequest = "authorization_request", userID = "user_id", decision
    }
}

extension GitHubSandbox {
    /// `GET /login/oauth/authorize`: validates the request, then shows the account picker (or auto-approves).
    func authorizePage(_ call: SandboxCall) -> Response {
        guard let query = try? URLEncodedFormDecoder().decode(AuthorizeQuery.self, from: call.request.uri.query ?? "") else {
            return SandboxPages.message(.badRequest, title: "Bad request", text: "The query string could not be read.")
        }
        let clientID = query.clientID ?? ""
        guard let app = state.withLock({ $0.apps[clientID] }) else {
            return SandboxPages.message(.notFound, title: "Not Found", text: "No OAuth application with this client_id.")
        }
        let redirectURI = query.redirectURI ?? app.callbackURL
        guard RedirectMatcher.matches(redirectURI, callback: app.callbackURL, mode: app.redirectMode) else {
            guard state.withLock({ $0.redirectMismatchRedirects }) else { return SandboxPages.redirectMismatch() }
            return .redirect(to: Self.callbackFields(state: query.state, [
                ("error", "redirect_uri_mismatch"),
                ("error_description", "The redirect_uri MUST match the registered callback URL for this application."),
                ("error_uri", "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#redirect-uri-mismatch"),
            ]).appended(to: app.callbackURL))
        }
        switch (query.codeChallenge, query.codeChallengeMethod) {
        case (nil, nil): break
        case (let challenge?, "S256") where challenge.utf8.count == 43: break
        case (_, "plain"?):
            return SandboxPages.message(.badRequest, title: "Bad request", text: "The plain code challenge method is not supported.")
        default:
            return SandboxPages.message(.badRequest, title: "Bad request",
                                        text: "code_challenge must be a 43 character S256 hash sent with code_challenge_method=S256.")
        }
        let scopes = Self.scopes(query.scope ?? "")
        let pending = PendingAuthorization(clientID: clientID, redirectURI: redirectURI, explicitRedirectURI: query.redirectURI != nil,
                                           scopes: scopes, state: query.state, codeChallenge: query.codeChallenge)
        // A signed-in user who already granted these scopes is sent straight back, without consent.
        let autoApproved: Int64? = state.withLock { s in
            guard let id = s.signedInUserID, let granted = s.grants[GrantKey(userID: id, clientID: clientID)],
                  Set(scopes).isSubset(of: granted) else { return nil }
            return id
        }
        if let userID = autoApproved { return issueCode(for: pending, userID: userID) }

        let requestID = SandboxRandom.hex(16)
        let (users, orgs) = state.withLock { s in
            s.pending[requestID] = pending
            return (s.users.values.sorted { $0.id < $1.id }, Array(s.orgs.values))
        }
        let appName = app.name ?? clientID
        return SandboxPages.authorize(AuthorizeView(
            appName: appName, appInitial: String(appName.prefix(1)).uppercased(), clientID: clientID,
            scopes: scopes.map { AuthorizeView.Scope(name: $0, description: AuthorizeView.describe(scope: $0)) }, hasScopes: !scopes.isEmpty,
            redirectURI: redirectURI, action: webPrefix + "/login/oauth/authorize", requestID: requestID,
            users: users.map { AuthorizeView.user($0, orgs: orgs) }))
    }

    /// `POST /login/oauth/authorize` from the picker: issue a code or report `access_denied`.
    func authorizeDecision(_ call: SandboxCall) -> Response {
        guard let form = try? URLEncodedFormDecoder().decode(AuthorizeDecision.self, from: String(buffer: call.body)) else {
            return SandboxPages.message(.badRequest, title: "Bad request", text: "The form could not be read.")
        }
        guard let requestID = form.authorizationRequest, let pending = state.withLock({ $0.pending.removeValue(forKey: requestID) }) else {
            return SandboxPages.message(.badRequest, title: "Expired", text: "This authorization request is unknown or was already answered.")
        }
        guard form.decision == "approve" else {
            return .redirect(to: Self.callbackFields(state: pending.state, [
                ("error", "access_denied"),
                ("error_description", "The user has denied your application access."),
                ("error_uri", "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied"),
            ]).appended(to: pending.redirectURI))
        }
        guard let userID = form.userID.flatMap(Int64.init), state.withLock({ $0.users[userID] != nil }) else {
            return SandboxPages.message(.badRequest, title: "Unknown user", text: "Pick one of the listed users.")
        }
        return issueCode(for: pending, userID: userID)
    }

    private func issueCode(for pending: PendingAuthorization, userID: Int64) -> Response {
        let code = SandboxRandom.hex(10)
        let issuedAt = now
        state.withLock { s in
            s.codes[code] = IssuedCode(clientID: pending.clientID, redirectURI: pending.explicitRedirectURI ? pending.redirectURI : nil,
                                       userID: userID, scopes: pending.scopes, codeChallenge: pending.codeChallenge, issuedAt: issuedAt)
        }
        return .redirect(to: Self.callbackFields(state: pending.state, [("code", code)]).appended(to: pending.redirectURI))
    }

    /// The callback's query: these pairs, then the client's `state` untouched when it sent one.
    private static func callbackFields(state: String?, _ pairs: [(String, String)]) -> [FormField] {
        (pairs + (state.map { [("state", $0)] } ?? [])).map { FormField(name: $0.0, value: $0.1) }
    }

    /// Splits and de-duplicates a scope list (space or comma separated), keeping order.
    static func scopes(_ text: String) -> [String] {
        var seen = Set<String>()
        return text.split(whereSeparator: { " ,".contains($0) }).map(String.init).filter { seen.insert($0).inserted }
    }
}

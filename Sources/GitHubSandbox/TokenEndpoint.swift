import Foundation
import Hummingbird

extension GitHubSandbox {
    static let accessTokenLifetime: TimeInterval = 28800
    static let refreshTokenLifetime: TimeInterval = 15_897_600

    /// `POST /login/oauth/access_token`: errors are HTTP 200 in the format `Accept` asks for (spec §2).
    func accessToken(_ call: SandboxCall) -> Response {
        if let injected = state.withLock({ $0.injectedTokenResponses.isEmpty ? nil : $0.injectedTokenResponses.removeFirst() }) {
            return Response(injected)
        }
        let format = TokenResponseFormat(accept: call.header(.accept))
        guard let params = TokenParameters(call) else {
            return format.error("invalid_request", "The request body is not a JSON object.")
        }
        guard let clientID = params.clientID, let secret = params.clientSecret,
              let app = state.withLock({ $0.apps[clientID] }), constantTimeEquals(app.clientSecret, secret) else {
            return format.error("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.")
        }
        switch params.grantType {
        case nil, "authorization_code": break
        case "refresh_token": return refresh(params, clientID: clientID, format: format)
        default: return format.error("unsupported_grant_type", "The grant type is not supported by this sandbox.")
        }
        let badCode = format.error("bad_verification_code", "The code passed is incorrect or expired.")
        // Single use: any presentation burns the code.
        guard let codeValue = params.code, let code = state.withLock({ $0.codes.removeValue(forKey: codeValue) }),
              code.clientID == clientID, now.timeIntervalSince(code.issuedAt) < 600 else { return badCode }
        if let bound = code.redirectURI, let sent = params.redirectURI, sent != bound {
            return format.error("redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application.")
        }
        if let challenge = code.codeChallenge {
            guard let verifier = params.codeVerifier, PKCECheck.isValidVerifier(verifier),
                  constantTimeEquals(PKCECheck.s256(verifier), challenge) else { return badCode }
        }
        let scopes = state.withLock { $0.grantedScopesOverride } ?? code.scopes
        state.withLock { $0.grants[GrantKey(userID: code.userID, clientID: clientID), default: []].formUnion(scopes) }
        return format.render(issueTokens(userID: code.userID, clientID: clientID, scopes: scopes))
    }

    /// `grant_type=refresh_token`: the old refresh token and its access token stop working.
    private func refresh(_ params: TokenParameters, clientID: String, format: TokenResponseFormat) -> Response {
        let current = now
        let old: IssuedRefreshToken? = state.withLock { s in
            guard let value = params.refreshToken, let old = s.refreshTokens.removeValue(forKey: value) else { return nil }
            s.tokens[old.accessToken] = nil
            return old
        }
        guard let old, old.clientID == clientID, current < old.expiresAt else {
            return format.error("bad_refresh_token", "The refresh token passed is incorrect or expired.")
        }
        return format.render(issueTokens(userID: old.userID, clientID: clientID, scopes: old.scopes))
    }

    private func issueTokens(userID: Int64, clientID: String, scopes: [String]) -> TokenGrant {
        let current = now
        let token = SandboxRandom.token(prefix: "gho_")
        var grant = TokenGrant(accessToken: token, scope: scopes.joined(separator: ","))
        state.withLock { s in
            guard s.expiringTokens else {
                s.tokens[token] = IssuedToken(userID: userID, clientID: clientID, scopes: scopes)
                return
            }
            let refresh = SandboxRandom.token(prefix: "ghr_", length: 76)
            s.tokens[token] = IssuedToken(userID: userID, clientID: clientID, scopes: scopes, expiresAt: current + Self.accessTokenLifetime)
            s.refreshTokens[refresh] = IssuedRefreshToken(accessToken: token, userID: userID, clientID: clientID, scopes: scopes,
                                                          expiresAt: current + Self.refreshTokenLifetime)
            grant.expiresIn = Int(Self.accessTokenLifetime)
            grant.refreshToken = refresh
            grant.refreshTokenExpiresIn = Int(Self.refreshTokenLifetime)
        }
        return grant
    }
}

import Curl
import Foundation

extension GitHubClient {
    /// Step 1: the URL to send the browser to. `state` and the PKCE challenge are per attempt.
    public func authorizeURL(state: String, codeChallenge: String?, scopes: [String], allowSignup: Bool = true) -> String {
        var query: [(String, String)] = [
            ("client_id", configuration.clientID),
            ("redirect_uri", configuration.redirectURI),
            ("scope", scopes.joined(separator: " ")),
            ("state", state),
        ]
        if configuration.usePKCE, let codeChallenge {
            query.append(("code_challenge", codeChallenge))
            query.append(("code_challenge_method", "S256"))
        }
        query.append(("allow_signup", allowSignup ? "true" : "false"))
        return configuration.authURL + "authorize?" + PercentEncoding.formEncode(query)
    }

    /// Step 2: trade the callback's code for a token. HTTP 200 with `error` is a failure (`.oauth`).
    public func exchangeCode(_ code: String, codeVerifier: String?) async throws(GitHubError) -> AccessToken {
        var form: [(String, String)] = [
            ("client_id", configuration.clientID),
            ("client_secret", configuration.clientSecret),
            ("code", code),
            ("redirect_uri", configuration.redirectURI),
        ]
        if configuration.usePKCE, let codeVerifier { form.append(("code_verifier", codeVerifier)) }
        return try await postToTokenEndpoint(form)
    }

    /// Expiring tokens: trade a refresh token for a new pair. The old pair stops working; `bad_refresh_token` means sign in again.
    public func refresh(refreshToken: String) async throws(GitHubError) -> AccessToken {
        try await postToTokenEndpoint([
            ("client_id", configuration.clientID),
            ("client_secret", configuration.clientSecret),
            ("grant_type", "refresh_token"),
            ("refresh_token", refreshToken),
        ])
    }

    private func postToTokenEndpoint(_ form: [(String, String)]) async throws(GitHubError) -> AccessToken {
        let request = CurlRequest(
            method: "POST",
            url: configuration.authURL + "access_token",
            headers: [
                ("User-Agent", configuration.userAgent),
                ("Accept", "application/json"),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            body: Array(PercentEncoding.formEncode(form).utf8),
            totalTimeout: configuration.requestTimeout, maxBodyBytes: 64 * 1024, maxRedirects: 0)
        let response = try await send(request)
        return try Self.parseTokenResponse(response)
    }

    static func parseTokenResponse(_ response: CurlResponse) throws(GitHubError) -> AccessToken {
        guard (200..<300).contains(response.status) else {
            throw .unexpectedStatus(response.status, endpoint: .accessToken)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw .malformedResponse(endpoint: .accessToken, detail: "not a JSON object")
        }
        if let error = object["error"] {
            throw .oauth(code: GitHubError.sanitizedCode(error as? String ?? ""))
        }
        guard let token = object["access_token"] as? String, !token.isEmpty else { throw .missingAccessToken }
        let tokenType = object["token_type"] as? String ?? ""
        guard tokenType.lowercased() == "bearer" else {
            throw .unsupportedTokenType(String(tokenType.filter { $0.isLetter || $0.isNumber }.prefix(32)))
        }
        let scopes = (object["scope"] as? String ?? "")
            .split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let refreshToken = (object["refresh_token"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        return AccessToken(token: token, scopes: scopes, tokenType: tokenType, expiresIn: object["expires_in"] as? Int,
                           refreshToken: refreshToken, refreshTokenExpiresIn: object["refresh_token_expires_in"] as? Int)
    }
}

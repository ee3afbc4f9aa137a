import Foundation

extension GitHubSandbox {
    /// `POST /login/oauth/access_token`: parameters from query, form or JSON body; errors are HTTP 200 (spec §2).
    func accessToken(_ request: IncomingRequest) -> OutgoingResponse {
        if let injected = state.withLock({ $0.injectedTokenResponses.isEmpty ? nil : $0.injectedTokenResponses.removeFirst() }) {
            return OutgoingResponse(status: injected.status, headers: injected.headers.map { ($0.key, $0.value) }, body: injected.body)
        }
        let format = TokenResponseFormat(accept: request.header("Accept"))
        var params = Dictionary(request.query, uniquingKeysWith: { first, _ in first })
        let contentType = request.header("Content-Type")?.lowercased() ?? ""
        if contentType.hasPrefix("application/json") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any] else {
                return format.error("invalid_request", "The request body is not a JSON object.")
            }
            for (key, value) in object {
                if let string = value as? String { params[key] = string } else if let number = value as? NSNumber { params[key] = number.stringValue }
            }
        } else if !request.body.isEmpty {
            for (key, value) in FormCoding.decode(Substring(decoding: request.body, as: UTF8.self)) { params[key] = value }
        }
        // Client authentication: body first, HTTP Basic as a fallback (undocumented on GitHub, spec §8).
        if params["client_id"] == nil || params["client_secret"] == nil, let basic = Self.basicCredentials(request.header("Authorization")) {
            params["client_id"] = params["client_id"] ?? basic.user
            params["client_secret"] = params["client_secret"] ?? basic.password
        }
        guard let clientID = params["client_id"], let secret = params["client_secret"],
              let app = state.withLock({ $0.apps[clientID] }), Self.constantTimeEquals(app.clientSecret, secret) else {
            return format.error("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.")
        }
        switch params["grant_type"] {
        case nil, "authorization_code": break
        case "refresh_token": return refresh(params, clientID: clientID, format: format)
        default: return format.error("unsupported_grant_type", "The grant type is not supported by this sandbox.")
        }
        let badCode = format.error("bad_verification_code", "The code passed is incorrect or expired.")
        // Single use: any presentation burns the code.
        guard let codeValue = params["code"], let code = state.withLock({ $0.codes.removeValue(forKey: codeValue) }),
              code.clientID == clientID, now.timeIntervalSince(code.issuedAt) < 600 else { return badCode }
        if let bound = code.redirectURI, let sent = params["redirect_uri"], sent != bound {
            return format.error("redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application.")
        }
        if let challenge = code.codeChallenge {
            guard let verifier = params["code_verifier"], PKCECheck.isValidVerifier(verifier),
                  Self.constantTimeEquals(PKCECheck.s256(verifier), challenge) else { return badCode }
        }
        let scopes = state.withLock { $0.grantedScopesOverride } ?? code.scopes
        state.withLock { $0.grants[GrantKey(userID: code.userID, clientID: clientID), default: []].formUnion(scopes) }
        return issueTokens(userID: code.userID, clientID: clientID, scopes: scopes, format: format)
    }

    /// `grant_type=refresh_token`: the old refresh token and its access token stop working.
    private func refresh(_ params: [String: String], clientID: String, format: TokenResponseFormat) -> OutgoingResponse {
        let current = now
        let old: IssuedRefreshToken? = state.withLock { s in
            guard let value = params["refresh_token"], let old = s.refreshTokens.removeValue(forKey: value) else { return nil }
            s.tokens[old.accessToken] = nil
            return old
        }
        guard let old, old.clientID == clientID, current < old.expiresAt else {
            return format.error("bad_refresh_token", "The refresh token passed is incorrect or expired.")
        }
        return issueTokens(userID: old.userID, clientID: clientID, scopes: old.scopes, format: format)
    }

    private func issueTokens(userID: Int64, clientID: String, scopes: [String], format: TokenResponseFormat) -> OutgoingResponse {
        let current = now
        let token = SandboxRandom.token(prefix: "gho_")
        let refreshToken: String? = state.withLock { s in
            guard s.expiringTokens else {
                s.tokens[token] = IssuedToken(userID: userID, clientID: clientID, scopes: scopes)
                return nil
            }
            let refresh = SandboxRandom.token(prefix: "ghr_", length: 76)
            s.tokens[token] = IssuedToken(userID: userID, clientID: clientID, scopes: scopes, expiresAt: current + Self.accessTokenLifetime)
            s.refreshTokens[refresh] = IssuedRefreshToken(accessToken: token, userID: userID, clientID: clientID, scopes: scopes,
                                                          expiresAt: current + Self.refreshTokenLifetime)
            return refresh
        }
        var fields: [(String, String)] = [("access_token", token)]
        if let refreshToken {
            fields += [("expires_in", String(Int(Self.accessTokenLifetime))), ("refresh_token", refreshToken),
                       ("refresh_token_expires_in", String(Int(Self.refreshTokenLifetime)))]
        }
        return format.render(fields + [("scope", scopes.joined(separator: ",")), ("token_type", "bearer")])
    }

    static let accessTokenLifetime: TimeInterval = 28800
    static let refreshTokenLifetime: TimeInterval = 15_897_600

    static func basicCredentials(_ header: String?) -> (user: String, password: String)? {
        guard let header, header.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The token endpoint answers form-encoded by default, JSON or XML by `Accept`.
enum TokenResponseFormat {
    case form, json, xml

    init(accept: String?) {
        let accept = accept?.lowercased() ?? ""
        if accept.contains("application/json") { self = .json } else if accept.contains("application/xml") { self = .xml } else { self = .form }
    }

    func error(_ code: String, _ description: String) -> OutgoingResponse {
        render([("error", code), ("error_description", description),
                ("error_uri", "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/")])
    }

    static let numericFields: Set<String> = ["expires_in", "refresh_token_expires_in"]

    func render(_ pairs: [(String, String)]) -> OutgoingResponse {
        switch self {
        case .form:
            return OutgoingResponse(status: 200, headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                                    body: FormCoding.encode(pairs))
        case .json:
            let values: [(String, Any)] = pairs.map { key, value in
                (key, Self.numericFields.contains(key) ? (Int(value) ?? 0) as Any : value as Any)
            }
            return .json(200, Dictionary(values, uniquingKeysWith: { a, _ in a }))
        case .xml:
            let fields = pairs.map { "<\($0.0)>\(HTML.escape($0.1))</\($0.0)>" }.joined()
            return OutgoingResponse(status: 200, headers: [("Content-Type", "application/xml; charset=utf-8")], body: "<OAuth>\(fields)</OAuth>")
        }
    }
}

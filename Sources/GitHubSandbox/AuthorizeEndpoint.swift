import Foundation

extension GitHubSandbox {
    /// `GET /login/oauth/authorize`: validates the request, then shows the account picker (or auto-approves).
    func authorizePage(_ request: IncomingRequest) -> OutgoingResponse {
        let clientID = request.queryValue("client_id") ?? ""
        guard let app = state.withLock({ $0.apps[clientID] }) else {
            return .html(404, page(title: "Not Found", body: "<p>No OAuth application with this client_id.</p>"))
        }
        let stateParam = request.queryValue("state")
        let requested = request.queryValue("redirect_uri")
        let redirectURI = requested ?? app.callbackURL
        guard RedirectMatcher.matches(redirectURI, callback: app.callbackURL, mode: app.redirectMode) else {
            if state.withLock({ $0.redirectMismatchRedirects }) {
                return .redirect(Self.appending([
                    ("error", "redirect_uri_mismatch"),
                    ("error_description", "The redirect_uri MUST match the registered callback URL for this application."),
                    ("error_uri", "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#redirect-uri-mismatch"),
                ] + (stateParam.map { [("state", $0)] } ?? []), to: app.callbackURL))
            }
            // Status unconfirmed (spec §8); GitHub renders this warning instead of redirecting.
            return .html(200, page(title: "Redirect URI mismatch", body: """
                <h1>Be careful!</h1><p id="redirect-uri-not-associated">The redirect_uri is not associated with this application.</p>
                <p>The application might be misconfigured or could be trying to redirect you to a website you weren't expecting.</p>
                """))
        }
        let challenge = request.queryValue("code_challenge")
        let method = request.queryValue("code_challenge_method")
        switch (challenge, method) {
        case (nil, nil): break
        case (let c?, "S256") where c.utf8.count == 43: break
        case (_, "plain"?):
            return .html(400, page(title: "Bad request", body: "<p>The plain code challenge method is not supported.</p>"))
        default:
            return .html(400, page(title: "Bad request", body: "<p>code_challenge must be a 43 character S256 hash sent with code_challenge_method=S256.</p>"))
        }
        let scopes = Self.scopes(request.queryValue("scope") ?? "", separators: " ,")
        let pending = PendingAuthorization(clientID: clientID, redirectURI: redirectURI, explicitRedirectURI: requested != nil,
                                           scopes: scopes, state: stateParam, codeChallenge: challenge)
        // A signed-in user who already granted these scopes is sent straight back, without consent.
        let autoApproved: Int64? = state.withLock { s in
            guard let id = s.signedInUserID, let granted = s.grants[GrantKey(userID: id, clientID: clientID)],
                  Set(scopes).isSubset(of: granted) else { return nil }
            return id
        }
        if let userID = autoApproved { return issueCode(for: pending, userID: userID) }

        let requestID = SandboxRandom.hex(16)
        let users = state.withLock { s in
            s.pending[requestID] = pending
            return s.users.values.sorted { $0.id < $1.id }
        }
        let action = HTML.escape(webPrefix + "/login/oauth/authorize")
        let hidden = #"<input type="hidden" name="authorization_request" value="\#(requestID)">"#
        let choices = users.map { user in
            """
            <li><form method="post" action="\(action)">\(hidden)<input type="hidden" name="user_id" value="\(user.id)">\
            <button type="submit" name="decision" value="approve">Sign in as \(HTML.escape(user.login))</button> \
            \(HTML.escape(user.name ?? ""))</form></li>
            """
        }.joined(separator: "\n")
        let scopeText = scopes.isEmpty ? "public information only" : scopes.map(HTML.escape).joined(separator: ", ")
        return .html(200, page(title: "Authorize application", body: """
            <h1>Authorize \(HTML.escape(clientID))</h1>
            <p>Requested scopes: \(scopeText)</p>
            <p>Redirects to \(HTML.escape(redirectURI))</p>
            <ul class="sandbox-users">
            \(choices)
            </ul>
            <form method="post" action="\(action)">\(hidden)<button type="submit" name="decision" value="deny">Cancel</button></form>
            """))
    }

    /// `POST /login/oauth/authorize` from the picker: issue a code or report `access_denied`.
    func authorizeDecision(_ request: IncomingRequest) -> OutgoingResponse {
        let form = FormCoding.decode(Substring(decoding: request.body, as: UTF8.self))
        let value = { (name: String) in form.first { $0.0 == name }?.1 }
        guard let requestID = value("authorization_request"),
              let pending = state.withLock({ $0.pending.removeValue(forKey: requestID) }) else {
            return .html(400, page(title: "Expired", body: "<p>This authorization request is unknown or was already answered.</p>"))
        }
        guard value("decision") == "approve" else {
            return .redirect(Self.appending([
                ("error", "access_denied"),
                ("error_description", "The user has denied your application access."),
                ("error_uri", "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied"),
            ] + (pending.state.map { [("state", $0)] } ?? []), to: pending.redirectURI))
        }
        guard let userID = value("user_id").flatMap(Int64.init), state.withLock({ $0.users[userID] != nil }) else {
            return .html(400, page(title: "Unknown user", body: "<p>Pick one of the listed users.</p>"))
        }
        return issueCode(for: pending, userID: userID)
    }

    private func issueCode(for pending: PendingAuthorization, userID: Int64) -> OutgoingResponse {
        let code = SandboxRandom.hex(10)
        let issuedAt = now
        state.withLock { s in
            s.codes[code] = IssuedCode(clientID: pending.clientID, redirectURI: pending.explicitRedirectURI ? pending.redirectURI : nil,
                                       userID: userID, scopes: pending.scopes, codeChallenge: pending.codeChallenge, issuedAt: issuedAt)
        }
        return .redirect(Self.appending([("code", code)] + (pending.state.map { [("state", $0)] } ?? []), to: pending.redirectURI))
    }

    static func appending(_ pairs: [(String, String)], to url: String) -> String {
        url + (url.contains("?") ? "&" : "?") + FormCoding.encode(pairs)
    }

    /// Splits and de-duplicates a scope list, keeping order.
    static func scopes(_ text: String, separators: String) -> [String] {
        var seen = Set<String>()
        return text.split(whereSeparator: { separators.contains($0) }).map(String.init).filter { seen.insert($0).inserted }
    }

    func page(title: String, body: String) -> String {
        """
        <!doctype html><html><head><meta charset="utf-8"><title>\(HTML.escape(title)) · GitHub Sandbox</title></head>
        <body>\(body)</body></html>
        """
    }
}

/// Redirect-URI matching rules from spec §1.
enum RedirectMatcher {
    static func matches(_ candidate: String, callback: String, mode: RedirectMode) -> Bool {
        switch mode {
        case .exact:
            return candidate == callback
        case .legacyPrefix:
            guard let c = URLComponents(string: candidate), let r = URLComponents(string: callback),
                  c.scheme == r.scheme, let ch = c.host?.lowercased(), let rh = r.host?.lowercased(),
                  c.fragment == nil, c.user == nil, c.password == nil else { return false }
            let loopback = rh == "127.0.0.1" || rh == "localhost" || rh == "[::1]" || rh == "::1"
            guard ch == rh || (!loopback && ch.hasSuffix("." + rh)) else { return false }
            guard loopback || c.port == r.port else { return false }
            let base = r.path.hasSuffix("/") ? String(r.path.dropLast()) : r.path
            return c.path == r.path || c.path == base || c.path.hasPrefix(base + "/") && !c.path.contains("/../") && !c.path.hasSuffix("/..")
        }
    }
}

import Foundation

extension GitHubSandbox {
    /// A token for `login`, as if they had just approved `clientID` with `scopes` (a non-expiring one): lets a
    /// test start from a signed-in member without walking the web flow. Nil for an unknown login.
    public func grantToken(to login: String, scopes: [String] = ["read:org"],
                           clientID: String = GitHubSandbox.demoClientID) -> String? {
        state.withLock { s in
            guard let id = s.userID(login: login) else { return nil }
            let token = SandboxRandom.token(prefix: "gho_")
            s.tokens[token] = IssuedToken(userID: id, clientID: clientID, scopes: scopes)
            s.grants[GrantKey(userID: id, clientID: clientID), default: []].formUnion(scopes)
            return token
        }
    }
}

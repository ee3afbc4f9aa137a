import Curl

/// Where the GitHub deployment lives and how this app is registered with it.
public struct GitHubConfiguration: Sendable {
    public var clientID: String
    /// Never logged or printed; comes from the environment or a secret store.
    public var clientSecret: String
    /// Web/OAuth base ending in `/login/oauth/`; authorize and access_token hang off it.
    public var authURL: String
    /// REST base (`https://api.github.com/` or `https://HOST/api/v3/`).
    public var apiURL: String
    /// Sent byte-identical in the authorize and token requests; from configuration only, never from request headers.
    public var redirectURI: String
    /// Off for GitHub Enterprise Server, which lacks PKCE.
    public var usePKCE: Bool
    public var userAgent: String
    /// Whole-transfer limit for each call to GitHub.
    public var requestTimeout: Duration

    public init(
        clientID: String,
        clientSecret: String,
        authURL: String = "https://github.com/login/oauth/",
        apiURL: String = "https://api.github.com/",
        redirectURI: String,
        usePKCE: Bool = true,
        userAgent: String,
        requestTimeout: Duration = .seconds(10)
    ) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.authURL = Self.withTrailingSlash(authURL)
        self.apiURL = Self.withTrailingSlash(apiURL)
        self.redirectURI = redirectURI
        self.usePKCE = usePKCE
        self.userAgent = userAgent
        self.requestTimeout = requestTimeout
    }

    /// Checks what would otherwise fail on the first login; messages name the field, never its secret value.
    public func validate() throws(GitHubError) {
        if clientID.isEmpty { throw .invalidConfiguration("clientID is empty") }
        if clientSecret.isEmpty { throw .invalidConfiguration("clientSecret is empty") }
        if userAgent.trimmingCharacters(in: .whitespaces).isEmpty { throw .invalidConfiguration("userAgent is empty") }
        for (name, url) in [("authURL", authURL), ("apiURL", apiURL), ("redirectURI", redirectURI)] {
            guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
                throw .invalidConfiguration("\(name) must start with https:// or http://")
            }
            guard !url.contains("#"), !url.contains(where: { $0.isWhitespace }) else {
                throw .invalidConfiguration("\(name) must not contain whitespace or a fragment")
            }
        }
    }

    private static func withTrailingSlash(_ url: String) -> String {
        url.hasSuffix("/") ? url : url + "/"
    }
}

/// What `serve` says at start: loudly when transport is insecure, and how to leave the sandbox for real GitHub.
public enum Banner {
    public static func lines(for parts: AppParts) -> [String] {
        let config = parts.config
        var lines: [String] = []
        if config.insecureTransport {
            lines.append("newsroom: WARNING: insecure transport: plain http, cookies without Secure. For local use only; never expose this to a network.")
        }
        if parts.sandbox != nil {
            lines += [
                "newsroom: GitHub SANDBOX in use: sign in as a demo user (octocat is a member of acme; hubot is not). Nothing leaves this machine.",
                "newsroom:   sandbox at \(config.github?.authURL ?? "?")",
                "newsroom:   to use real GitHub: register an OAuth app with callback \(config.callbackURL),",
                "newsroom:   then set GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET and GITHUB_ORG (or GITHUB_TEAMS / GITHUB_USERS).",
            ]
        }
        lines.append("newsroom: admitting \(config.gate.summary); feeds from \(config.feedsPath); database \(config.databaseDescription)")
        lines.append("newsroom: at most \(config.maxConnections) connections at once; each request must arrive within "
                     + "\(config.connectionTimeout.components.seconds) s; request bodies up to \(ConnectionSettings.maxRequestBodyBytes / 1024) KiB")
        // Past the descriptor limit, accepting fails before the bound ever applies: say so rather than find out under load.
        if let limit = ConnectionSettings.openFileLimit(), limit < config.maxConnections + ConnectionSettings.descriptorsBesidesConnections {
            lines.append("newsroom: WARNING: this process may open only \(limit) files, too few for \(config.maxConnections) connections: "
                         + "raise `ulimit -n` or lower --max-connections (NEWSROOM_MAX_CONNECTIONS)")
        }
        return lines
    }
}

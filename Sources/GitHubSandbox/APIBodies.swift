/// The REST bodies the sandbox answers with, field names as GitHub spells them.

/// GitHub's "simple user", nested in membership and token-check bodies.
struct SimpleUser: Encodable {
    var login: String
    var id: Int64
    var type = "User"
    var siteAdmin = false
    var url: String

    init(_ user: SandboxUser) {
        login = user.login
        id = user.id
        url = "https://api.github.com/users/\(user.login)"
    }

    enum CodingKeys: String, CodingKey {
        case login, id, type, siteAdmin = "site_admin", url
    }
}

/// `GET /user`: the simple user plus profile fields, which GitHub sends as `null` when unset.
struct AuthenticatedUser: Encodable {
    var user: SimpleUser
    var name: String?
    var avatarURL: String?
    var email: String?

    init(_ user: SandboxUser) {
        self.user = SimpleUser(user)
        name = user.name
        avatarURL = user.avatarURL
    }

    enum CodingKeys: String, CodingKey {
        case name, avatarURL = "avatar_url", email
    }

    func encode(to encoder: any Encoder) throws {
        try user.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        // `encode`, not `encodeIfPresent`: the keys stay, with null.
        try container.encode(name, forKey: .name)
        try container.encode(avatarURL, forKey: .avatarURL)
        try container.encode(email, forKey: .email)
    }
}

/// `GET /user/memberships/orgs/{org}`.
struct OrgMembershipBody: Encodable {
    struct Organization: Encodable {
        var login: String
        var id: Int64
    }

    var url: String
    var state: String
    var role: String
    var organizationURL: String
    var organization: Organization
    var user: SimpleUser

    init(org: SandboxOrg, user: SandboxUser, membership: SandboxMembership) {
        url = "https://api.github.com/orgs/\(org.login)/memberships/\(user.login)"
        state = membership.state.rawValue
        role = membership.role
        organizationURL = "https://api.github.com/orgs/\(org.login)"
        organization = Organization(login: org.login, id: org.id)
        self.user = SimpleUser(user)
    }

    enum CodingKeys: String, CodingKey {
        case url, state, role, organizationURL = "organization_url", organization, user
    }
}

/// `GET /orgs/{org}/teams/{team}/memberships/{username}`.
struct TeamMembershipBody: Encodable {
    var url: String
    var role: String
    var state: String
}

/// `POST /applications/{client_id}/token` (check a token).
struct TokenCheckBody: Encodable {
    struct App: Encodable {
        var clientID: String

        enum CodingKeys: String, CodingKey {
            case clientID = "client_id"
        }
    }

    var scopes: [String]
    var user: SimpleUser?
    var app: App
}

/// The body of the `/applications/{client_id}/token|grant` calls.
struct AccessTokenBody: Decodable {
    var accessToken: String

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
    }
}

import Foundation
internal import GRDB

/// A GitHub account that signed in, keyed on GitHub's numeric id (logins can be renamed).
public struct UserRecord: Sendable, Equatable {
    public var githubID: Int64
    public var login: String
    public var name: String?
    public var avatarURL: String?
    /// Kept from the first upsert.
    public var createdAt: Date
    public var updatedAt: Date

    public init(githubID: Int64, login: String, name: String? = nil, avatarURL: String? = nil, createdAt: Date, updatedAt: Date) {
        self.githubID = githubID
        self.login = login
        self.name = name
        self.avatarURL = avatarURL
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    init(row: Row) {
        githubID = row["githubID"]
        login = row["login"]
        name = row["name"]
        avatarURL = row["avatarURL"]
        createdAt = row.date("createdAt")
        updatedAt = row.date("updatedAt")
    }
}

/// A server-side session. The session id never reaches the database: `idHash` is the caller's hash of it.
public struct SessionRecord: Sendable, Equatable {
    public var idHash: String
    public var githubID: Int64
    public var csrfToken: String
    /// The GitHub token, sealed by the caller (AES-GCM); Storage never sees it in the clear.
    public var encryptedToken: [UInt8]
    /// The gate rule that let the user in (e.g. "org:acme").
    public var admittedBy: String
    public var membershipCheckedAt: Date
    /// Last time GitHub confirmed the membership (checks that could not reach GitHub do not move it).
    public var lastGoodCheckAt: Date
    public var createdAt: Date
    public var lastSeenAt: Date
    public var absoluteExpiresAt: Date
    /// A one-time message for the next page.
    public var flash: String?
    /// When the GitHub token expires; nil for tokens that do not.
    public var tokenExpiresAt: Date?
    /// The sealed refresh token that comes with an expiring token.
    public var encryptedRefreshToken: [UInt8]?

    public init(idHash: String, githubID: Int64, csrfToken: String, encryptedToken: [UInt8], admittedBy: String,
                membershipCheckedAt: Date, lastGoodCheckAt: Date, createdAt: Date, lastSeenAt: Date,
                absoluteExpiresAt: Date, flash: String? = nil, tokenExpiresAt: Date? = nil, encryptedRefreshToken: [UInt8]? = nil) {
        self.tokenExpiresAt = tokenExpiresAt
        self.encryptedRefreshToken = encryptedRefreshToken
        self.idHash = idHash
        self.githubID = githubID
        self.csrfToken = csrfToken
        self.encryptedToken = encryptedToken
        self.admittedBy = admittedBy
        self.membershipCheckedAt = membershipCheckedAt
        self.lastGoodCheckAt = lastGoodCheckAt
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.absoluteExpiresAt = absoluteExpiresAt
        self.flash = flash
    }

    init(row: Row) {
        idHash = row["idHash"]
        githubID = row["githubID"]
        csrfToken = row["csrfToken"]
        encryptedToken = Array(row["encryptedToken"] as Data)
        admittedBy = row["admittedBy"]
        membershipCheckedAt = row.date("membershipCheckedAt")
        lastGoodCheckAt = row.date("lastGoodCheckAt")
        createdAt = row.date("createdAt")
        lastSeenAt = row.date("lastSeenAt")
        absoluteExpiresAt = row.date("absoluteExpiresAt")
        flash = row["flash"]
        tokenExpiresAt = row.optionalDate("tokenExpiresAt")
        encryptedRefreshToken = (row["encryptedRefreshToken"] as Data?).map(Array.init)
    }
}

/// One OAuth sign-in in progress, found by the hash of its `state` and usable once.
public struct LoginAttemptRecord: Sendable, Equatable {
    public var stateHash: String
    /// Hash of the value in the browser's binding cookie; the callback must present the same browser.
    public var browserBindingHash: String
    /// Nil when PKCE is switched off (GitHub Enterprise Server).
    public var pkceVerifier: String?
    /// The local path to return to after sign-in, already validated by the caller.
    public var nextPath: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(stateHash: String, browserBindingHash: String, pkceVerifier: String?, nextPath: String, createdAt: Date, expiresAt: Date) {
        self.stateHash = stateHash
        self.browserBindingHash = browserBindingHash
        self.pkceVerifier = pkceVerifier
        self.nextPath = nextPath
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    init(row: Row) {
        stateHash = row["stateHash"]
        browserBindingHash = row["browserBindingHash"]
        pkceVerifier = row["pkceVerifier"]
        nextPath = row["nextPath"]
        createdAt = row.date("createdAt")
        expiresAt = row.date("expiresAt")
    }
}

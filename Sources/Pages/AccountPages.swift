/// The member's own page: who they are, why they were admitted, their session.
public struct MePage: PageView {
    public static let template = "me"
    /// Kept only when `https:`.
    public let avatarURL: String?
    public let name: String?
    public let login: String
    public let githubID: Int
    /// Why the gate let them in, e.g. "member of acme".
    public let admittedBy: String
    public let membershipChecked: TimeView
    public let sessionExpires: TimeView
    public let csrfToken: String

    public init(
        avatarURL: String?, name: String?, login: String, githubID: Int, admittedBy: String,
        membershipChecked: TimeView, sessionExpires: TimeView, csrfToken: String
    ) {
        self.avatarURL = avatarURL.flatMap(URLPolicy.secureImage)
        self.name = name.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        self.login = login
        self.githubID = githubID
        self.admittedBy = admittedBy
        self.membershipChecked = membershipChecked
        self.sessionExpires = sessionExpires
        self.csrfToken = csrfToken
    }
}

/// Sign-in was refused: why, what to do about it, and a way to try again.
public struct DeniedPage: PageView {
    public static let template = "denied"
    /// One sentence saying why, e.g. "You are not a member of acme."
    public let reason: String
    /// Optional further explanation (plain text).
    public let detail: String?
    /// An `https:` link that helps (e.g. GitHub's page to request the org's approval of the app).
    public let detailLink: String?
    /// The GitHub login the visitor signed in as, if known.
    public let githubLogin: String?
    /// Where "Try again" points (a local path or http(s) URL).
    public let tryAgainURL: String?

    /// - Parameter detail: plain text; if it is itself an `https:` URL (and `detailLink` is nil) it
    ///   renders as that link instead.
    public init(
        reason: String, detail: String? = nil, detailLink: String? = nil,
        githubLogin: String? = nil, tryAgainURL: String
    ) {
        self.reason = reason
        let linkFromDetail = detailLink == nil ? detail.flatMap(URLPolicy.secureLink) : nil
        self.detailLink = detailLink.flatMap(URLPolicy.secureLink) ?? linkFromDetail
        self.detail = linkFromDetail == nil ? detail : nil
        self.githubLogin = githubLogin
        self.tryAgainURL = URLPolicy.localOrWeb(tryAgainURL)
    }
}

/// A page with just the "Sign out" button (for GET /logout).
public struct LogoutPage: PageView {
    public static let template = "logout"
    public let csrfToken: String

    public init(csrfToken: String) {
        self.csrfToken = csrfToken
    }
}

/// Any error page (400, 403, 404 without a list, 500…): never shows internals.
public struct ErrorPage: PageView {
    public static let template = "error"
    public let status: Int
    public let title: String
    public let message: String

    public init(status: Int, title: String, message: String) {
        self.status = status
        self.title = title
        self.message = message
    }
}

import Curl
import Foundation

/// A view model rendered by exactly one Mustache template in `Resources/templates`.
///
/// Conforming types are plain `Sendable` structs of already-safe values: every URL a template
/// puts in an `href`/`src` is checked by the view model's initializer, and every text field is
/// escaped by Mustache when rendered.
public protocol PageView: Sendable {
    /// Template name: the file name in `Resources/templates` without `.mustache`.
    static var template: String { get }
}

/// What the layout around every full page shows: title, navigation, member, flash message.
public struct LayoutContext: Sendable {
    /// Page title, shown as "title · newsroom" in the browser tab.
    public var title: String
    /// Publications in the navigation bar (empty when signed out): the first few of the catalog, and the current one.
    public var publications: [NavPublication]
    /// The signed-in member, or nil when signed out.
    public var member: NavMember?
    /// Where the "Sign in" link in the header points when signed out; nil hides it.
    public var signInURL: String?
    /// A one-time message shown above the page body (the caller clears it after one render).
    public var flash: String?
    /// True on the list of all publications, which the navbar's last link leads to.
    public var allPublicationsIsCurrent: Bool

    public init(
        title: String,
        publications: [NavPublication] = [],
        member: NavMember? = nil,
        signInURL: String? = nil,
        flash: String? = nil,
        allPublicationsIsCurrent: Bool = false
    ) {
        self.title = title
        self.publications = publications
        self.member = member
        self.signInURL = signInURL
        self.flash = flash
        self.allPublicationsIsCurrent = allPublicationsIsCurrent
    }
}

/// Where the navbar's "All publications" link leads.
public enum AllPublications {
    public static let path = "/publications"
    /// The navbar lists this many publications (then "All publications"), so it stays one line whatever the catalog.
    public static let inNavbar = 5
}

/// One publication in the navigation bar.
public struct NavPublication: Sendable, Equatable {
    public let id: String
    public let name: String
    /// True on that publication's own news page; rendered as `aria-current="page"`.
    public let isCurrent: Bool
    /// `/news/{id}`, with the id percent-encoded.
    public let path: String

    public init(id: String, name: String, isCurrent: Bool = false) {
        self.id = id
        self.name = name
        self.isCurrent = isCurrent
        self.path = NewsPath.forPublication(id)
    }

    /// The link as the navbar shows it on the page of `current` (the path was encoded once, with the link).
    public init(_ link: PublicationLink, current: String?) {
        id = link.id
        name = link.name
        isCurrent = link.id == current
        path = link.path
    }
}

/// The signed-in member as the header shows them, with what the sign-out form needs.
public struct NavMember: Sendable, Equatable {
    public let login: String
    /// Kept only when it is an `https:` URL; anything else shows no avatar.
    public let avatarURL: String?
    /// The session's CSRF token, sent back by the sign-out form's hidden `csrf` field.
    public let csrfToken: String

    public init(login: String, avatarURL: String?, csrfToken: String) {
        self.login = login
        self.avatarURL = avatarURL.flatMap(URLPolicy.secureImage)
        self.csrfToken = csrfToken
    }
}

enum NewsPath {
    /// Publication ids are catalog slugs; encoding anyway keeps a stray `/` or `?` from changing the path.
    static func forPublication(_ id: String) -> String {
        "/news/" + PercentEncoding.encode(id)
    }
}

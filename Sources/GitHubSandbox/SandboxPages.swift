import HTTPTypes
import Hummingbird
import Mustache

/// The sandbox's HTML pages and the token endpoint's XML, as Mustache templates compiled once.
/// They live here rather than in the app's Resources folder so the sandbox runs without it.
/// `{{name}}` escapes HTML, so requested scopes, redirect URIs and user names are shown, never interpreted.
/// Pages link their stylesheet relatively: every page is answered from `…/login/oauth/`, where it is served, so the
/// sandbox styles itself wherever it is mounted (and a host's `style-src 'self'` allows it).
enum SandboxPages {
    static let stylesheetName = "sandbox.css"

    private static let templates = [
        "layout": """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark"><title>{{$title}}{{/title}} · GitHub Sandbox</title>
            <link rel="stylesheet" href="\(stylesheetName)"></head>
            <body>{{$body}}{{/body}}</body></html>
            """,
        "message": """
            {{<layout}}{{$title}}{{title}}{{/title}}{{$body}}<main class="sandbox-page"><h1>{{title}}</h1><p>{{text}}</p></main>{{/body}}{{/layout}}
            """,
        // GitHub shows this warning instead of redirecting to an unregistered redirect_uri.
        "redirect-mismatch": """
            {{<layout}}{{$title}}Redirect URI mismatch{{/title}}{{$body}}<main class="sandbox-page">
            <h1>Be careful!</h1><p id="redirect-uri-not-associated">The redirect_uri is not associated with this application.</p>
            <p>The application might be misconfigured or could be trying to redirect you to a website you weren't expecting.</p>
            </main>{{/body}}{{/layout}}
            """,
        // The consent screen: which app asks for what, then one card (and form) per demo account, each posting the
        // pending request's id back, and a form to cancel.
        "authorize": """
            {{<layout}}{{$title}}Authorize {{appName}}{{/title}}{{$body}}
            <p class="sandbox-banner" role="note"><strong>Offline sandbox.</strong> This is newsroom’s offline stand-in for GitHub. \
            The accounts below exist only here, and nothing you do on this page leaves this machine.</p>
            <main class="consent">
            <header class="consent__header">
            <p class="consent__marks" aria-hidden="true"><span class="mark mark--app">{{appInitial}}</span><span class="consent__arrow">⇄</span><span class="mark mark--github">GH</span></p>
            <h1>Authorize <strong>{{appName}}</strong></h1>
            <p class="consent__lede">{{appName}} asks who you are{{#hasScopes}} and for the access below{{/hasScopes}}. Pick the demo account to sign in with.</p>
            </header>
            <section class="consent__box" aria-labelledby="access-title">
            <h2 id="access-title">{{appName}} will be able to</h2>
            <ul class="scopes">
            <li><span class="scopes__name">Read your public profile</span> <span class="scopes__what">login, name and avatar</span></li>
            {{#scopes}}<li><span class="scopes__name">{{description}}</span> <code>{{name}}</code></li>{{/scopes}}
            </ul>
            <p class="consent__redirect">Then you go back to <code>{{redirectURI}}</code> <span class="muted">(client ID {{clientID}})</span></p>
            </section>
            <h2 class="consent__section">Sign in as</h2>
            <ul class="accounts">
            {{#users}}
            <li class="account-card account-card--{{tone}}"><form method="post" action="{{action}}"><input type="hidden" name="authorization_request" value="{{requestID}}"><input type="hidden" name="user_id" value="{{id}}">
            <p class="account-card__who"><span class="mark" aria-hidden="true">{{initial}}</span><span><strong>{{login}}</strong>{{#displayName}} <span class="muted">{{.}}</span>{{/displayName}}</span></p>
            <p class="account-card__standing">{{standing}}</p>
            <p class="account-card__outcome">{{outcome}}</p>
            <button class="button button--primary" type="submit" name="decision" value="approve">Sign in as {{login}}</button>
            </form></li>
            {{/users}}
            </ul>
            <form class="consent__cancel" method="post" action="{{action}}"><input type="hidden" name="authorization_request" value="{{requestID}}"><button class="button" type="submit" name="decision" value="deny">Cancel</button> <span class="muted">goes back to {{appName}} without signing in.</span></form>
            <p class="consent__fine">On github.com this page is GitHub’s own. {{appName}} never sees a password: GitHub tells it who you are and whether you belong to the organization it admits.</p>
            </main>
            {{/body}}{{/layout}}
            """,
        "token-xml": "<OAuth>{{#fields}}<{{name}}>{{value}}</{{name}}>{{/fields}}</OAuth>",
    ]

    private static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in templates {
            do { try library.register(text, named: name) } catch { fatalError("sandbox template \(name) does not parse: \(error)") }
        }
        return library
    }()

    static func render(_ view: Any, _ template: String) -> String {
        library.render(view, withTemplate: template) ?? ""
    }

    static func message(_ status: HTTPResponse.Status, title: String, text: String) -> Response {
        .html(status, render(["title": title, "text": text], "message"))
    }

    static func redirectMismatch() -> Response {
        .html(.ok, render([String: String](), "redirect-mismatch"))
    }

    static func authorize(_ view: AuthorizeView) -> Response {
        .html(.ok, render(view, "authorize"))
    }

    static func stylesheet() -> Response {
        .text(.ok, SandboxStyle.css, contentType: "text/css; charset=utf-8", headers: [.cacheControl: "public, max-age=3600"])
    }
}

/// What the consent screen shows.
struct AuthorizeView {
    struct Scope {
        var name: String
        var description: String
    }

    struct User {
        var id: Int64
        var login: String
        var displayName: String
        var initial: String
        /// Where the account stands, e.g. "Active member of acme".
        var standing: String
        /// What signing in as this account will come to, e.g. "Gets in: …".
        var outcome: String
        /// `in`, `out` or `pending`: the card's accent.
        var tone: String
    }

    var appName: String
    var appInitial: String
    var clientID: String
    var scopes: [Scope]
    var hasScopes: Bool
    var redirectURI: String
    /// Where the picker's forms post to.
    var action: String
    var requestID: String
    var users: [User]

    /// What GitHub's own consent screen says each scope grants (unknown scopes are named as they were asked).
    static func describe(scope: String) -> String {
        switch scope {
        case "read:org": "Read your organization and team memberships"
        case "read:user": "Read all of your profile data"
        case "user:email": "Read your email addresses"
        case "user": "Read and change your profile data"
        case "repo": "Full control of your repositories"
        case "public_repo": "Change your public repositories"
        default: "Access granted by the scope"
        }
    }

    /// An account's standing in the sandbox's organizations, and what signing in as it comes to for an app that
    /// admits that organization's active members (as newsroom's offline trial does with acme).
    static func user(_ user: SandboxUser, orgs: [SandboxOrg]) -> User {
        let sorted = orgs.sorted { $0.login.lowercased() < $1.login.lowercased() }
        let name = user.name ?? ""
        let initial = String(user.login.prefix(1)).uppercased()
        func card(_ standing: String, _ outcome: String, _ tone: String) -> User {
            User(id: user.id, login: user.login, displayName: name, initial: initial, standing: standing, outcome: outcome, tone: tone)
        }
        if let org = sorted.first(where: { $0.members[user.id]?.state == .active }) {
            return card("Active member of \(org.login)", "Gets in: GitHub confirms the membership.", "in")
        }
        if let org = sorted.first(where: { $0.members[user.id]?.state == .pending }) {
            return card("Invited to \(org.login), invitation pending", "Sees why not yet: a pending invitation does not count until accepted.", "pending")
        }
        guard let org = sorted.first else {
            return card("No organization", "Gets in only where any GitHub account may sign in.", "out")
        }
        return card("Not a member of \(org.login)", "Sees why: newsroom explains that only members get in.", "out")
    }
}

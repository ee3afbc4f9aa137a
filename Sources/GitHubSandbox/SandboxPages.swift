import HTTPTypes
import Hummingbird
import Mustache

/// The sandbox's HTML pages and the token endpoint's XML, as Mustache templates compiled once.
/// They live here rather than in the app's Resources folder so the sandbox runs without it.
/// `{{name}}` escapes HTML, so requested scopes, redirect URIs and user names are shown, never interpreted.
enum SandboxPages {
    private static let templates = [
        "layout": """
            <!doctype html><html><head><meta charset="utf-8"><title>{{$title}}{{/title}} · GitHub Sandbox</title></head>
            <body>{{$body}}{{/body}}</body></html>
            """,
        "message": """
            {{<layout}}{{$title}}{{title}}{{/title}}{{$body}}<p>{{text}}</p>{{/body}}{{/layout}}
            """,
        // GitHub shows this warning instead of redirecting to an unregistered redirect_uri.
        "redirect-mismatch": """
            {{<layout}}{{$title}}Redirect URI mismatch{{/title}}{{$body}}
            <h1>Be careful!</h1><p id="redirect-uri-not-associated">The redirect_uri is not associated with this application.</p>
            <p>The application might be misconfigured or could be trying to redirect you to a website you weren't expecting.</p>
            {{/body}}{{/layout}}
            """,
        // The account picker: one form per user, each posting the pending request's id back.
        "authorize": """
            {{<layout}}{{$title}}Authorize application{{/title}}{{$body}}
            <h1>Authorize {{clientID}}</h1>
            <p>Requested scopes: {{scopeText}}</p>
            <p>Redirects to {{redirectURI}}</p>
            <ul class="sandbox-users">
            {{#users}}
            <li><form method="post" action="{{action}}"><input type="hidden" name="authorization_request" value="{{requestID}}"><input type="hidden" name="user_id" value="{{id}}"><button type="submit" name="decision" value="approve">Sign in as {{login}}</button> {{displayName}}</form></li>
            {{/users}}
            </ul>
            <form method="post" action="{{action}}"><input type="hidden" name="authorization_request" value="{{requestID}}"><button type="submit" name="decision" value="deny">Cancel</button></form>
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
}

/// What the account picker shows.
struct AuthorizeView {
    struct User {
        var id: Int64
        var login: String
        var displayName: String
    }

    var clientID: String
    var scopeText: String
    var redirectURI: String
    /// Where the picker's forms post to.
    var action: String
    var requestID: String
    var users: [User]
}

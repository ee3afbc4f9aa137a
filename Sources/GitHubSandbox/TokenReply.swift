import HTTPTypes
import Hummingbird

/// A token-endpoint answer. JSON comes from `Encodable` (numbers stay numbers); the form and XML renderings
/// need GitHub's field order, which `fields` gives.
protocol TokenReply: Encodable {
    var fields: [FormField] { get }
}

/// A successful exchange or refresh; the expiry fields only in expiring-token mode.
struct TokenGrant: TokenReply {
    var accessToken: String
    var expiresIn: Int?
    var refreshToken: String?
    var refreshTokenExpiresIn: Int?
    var scope: String
    var tokenType = "bearer"

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token", expiresIn = "expires_in", refreshToken = "refresh_token"
        case refreshTokenExpiresIn = "refresh_token_expires_in", scope, tokenType = "token_type"
    }

    var fields: [FormField] {
        FormField.present([
            (CodingKeys.accessToken, accessToken), (.expiresIn, expiresIn.map(String.init)), (.refreshToken, refreshToken),
            (.refreshTokenExpiresIn, refreshTokenExpiresIn.map(String.init)), (.scope, scope), (.tokenType, tokenType),
        ])
    }
}

/// An OAuth error; GitHub sends these with HTTP 200.
struct TokenError: TokenReply {
    var error: String
    var errorDescription: String
    var errorURI = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/"

    enum CodingKeys: String, CodingKey {
        case error, errorDescription = "error_description", errorURI = "error_uri"
    }

    var fields: [FormField] {
        FormField.present([(CodingKeys.error, error), (.errorDescription, errorDescription), (.errorURI, errorURI)])
    }
}

/// The token endpoint answers form-encoded by default, JSON or XML by `Accept`.
enum TokenResponseFormat {
    case form, json, xml

    init(accept: String?) {
        let accept = accept?.lowercased() ?? ""
        if accept.contains("application/json") { self = .json } else if accept.contains("application/xml") { self = .xml } else { self = .form }
    }

    func error(_ code: String, _ description: String) -> Response {
        render(TokenError(error: code, errorDescription: description))
    }

    func render(_ reply: some TokenReply) -> Response {
        switch self {
        case .form:
            .text(.ok, reply.fields.urlEncoded, contentType: "application/x-www-form-urlencoded; charset=utf-8")
        case .json:
            .json(.ok, reply)
        case .xml:
            .text(.ok, SandboxPages.render(["fields": reply.fields], "token-xml"), contentType: "application/xml; charset=utf-8")
        }
    }
}

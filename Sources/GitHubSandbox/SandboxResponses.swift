import Foundation
import HTTPTypes
import Hummingbird

/// The answer shapes the sandbox sends, with the exact headers GitHub sends with them.
extension Response {
    /// Sorted keys and unescaped slashes: the same bytes for the same body, URLs readable as on GitHub.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func json(_ status: HTTPResponse.Status, _ body: some Encodable, headers: HTTPFields = [:]) -> Response {
        let data = (try? encoder.encode(body)) ?? Data("{}".utf8)
        return text(status, String(decoding: data, as: UTF8.self), contentType: "application/json; charset=utf-8", headers: headers)
    }

    static func html(_ status: HTTPResponse.Status, _ page: String) -> Response {
        text(status, page, contentType: "text/html; charset=utf-8")
    }

    static func text(_ status: HTTPResponse.Status, _ body: String, contentType: String, headers: HTTPFields = [:]) -> Response {
        var fields: HTTPFields = [.contentType: contentType]
        fields.append(contentsOf: headers)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// 302 as GitHub sends it from the web flow (never cached).
    static func redirect(to location: String) -> Response {
        Response(status: .found, headers: [.location: location, .cacheControl: "no-cache"])
    }

    /// GitHub's REST error body.
    static func githubError(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) -> Response {
        json(status, GitHubErrorBody(message: message, status: String(status.code)), headers: headers)
    }

    /// The bare page GitHub answers unknown web paths with.
    static var notFoundPage: Response { html(.notFound, "<h1>Not Found</h1>") }

    /// A canned answer set up by a test, headers and body as given.
    init(_ injected: InjectedResponse, headers: HTTPFields = [:]) {
        var fields = headers
        for (name, value) in injected.headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        self.init(status: .init(code: injected.status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: injected.body)))
    }
}

/// `{"message": …, "documentation_url": …, "status": "404"}`: GitHub sends the status as a string.
struct GitHubErrorBody: Encodable {
    var message: String
    var documentationURL = "https://docs.github.com/rest"
    var status: String

    enum CodingKeys: String, CodingKey {
        case message, documentationURL = "documentation_url", status
    }
}

extension HTTPField.Name {
    static let gitHubAPIVersion = Self("X-GitHub-Api-Version")!
    static let gitHubSSO = Self("X-GitHub-SSO")!
    static let oauthScopes = Self("X-OAuth-Scopes")!
    static let acceptedOAuthScopes = Self("X-Accepted-OAuth-Scopes")!
    static let rateLimitLimit = Self("X-RateLimit-Limit")!
    static let rateLimitRemaining = Self("X-RateLimit-Remaining")!
    static let rateLimitUsed = Self("X-RateLimit-Used")!
    static let rateLimitReset = Self("X-RateLimit-Reset")!
    static let rateLimitResource = Self("X-RateLimit-Resource")!
}

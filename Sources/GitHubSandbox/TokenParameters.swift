import Foundation
import Hummingbird

/// What a token request carries. GitHub reads it from the query, a form body or a JSON body; decoded from each
/// with the same `Decodable` conformance.
struct TokenParameters: Decodable {
    var clientID: String?
    var clientSecret: String?
    var code: String?
    var redirectURI: String?
    var codeVerifier: String?
    var grantType: String?
    var refreshToken: String?

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id", clientSecret = "client_secret", code, redirectURI = "redirect_uri"
        case codeVerifier = "code_verifier", grantType = "grant_type", refreshToken = "refresh_token"
    }

    /// The request's parameters: body fields override query fields; HTTP Basic fills in missing client
    /// credentials (undocumented on GitHub, spec §8). Nil when a JSON body is not a JSON object.
    /// A query or form that cannot be decoded (bad escapes, repeated keys) contributes nothing, so the request
    /// fails on its client credentials like any other request without them.
    init?(_ call: SandboxCall) {
        let form = URLEncodedFormDecoder()
        var parameters = (try? form.decode(Self.self, from: call.request.uri.query ?? "")) ?? Self()
        if call.header(.contentType)?.lowercased().hasPrefix("application/json") == true {
            guard let body = try? JSONDecoder().decode(Self.self, from: Data(call.body.readableBytesView)) else { return nil }
            parameters = body.overriding(parameters)
        } else if call.body.readableBytes > 0, let body = try? form.decode(Self.self, from: String(buffer: call.body)) {
            parameters = body.overriding(parameters)
        }
        if parameters.clientID == nil || parameters.clientSecret == nil, let basic = BasicCredentials(header: call.header(.authorization)) {
            parameters.clientID = parameters.clientID ?? basic.user
            parameters.clientSecret = parameters.clientSecret ?? basic.password
        }
        self = parameters
    }

    init() {}

    /// Each field that cannot be read as text counts as absent; a JSON number counts as its text.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) -> String? {
            if let string = try? container.decode(String.self, forKey: key) { return string }
            if let integer = try? container.decode(Int64.self, forKey: key) { return String(integer) }
            return (try? container.decode(Double.self, forKey: key)).map { String($0) }
        }
        clientID = text(.clientID)
        clientSecret = text(.clientSecret)
        code = text(.code)
        redirectURI = text(.redirectURI)
        codeVerifier = text(.codeVerifier)
        grantType = text(.grantType)
        refreshToken = text(.refreshToken)
    }

    /// These values, falling back to `other`'s where absent.
    private func overriding(_ other: Self) -> Self {
        var merged = self
        for field in [\Self.clientID, \.clientSecret, \.code, \.redirectURI, \.codeVerifier, \.grantType, \.refreshToken] {
            merged[keyPath: field] = self[keyPath: field] ?? other[keyPath: field]
        }
        return merged
    }
}

import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// The parts of a request the endpoints read; the body is collected up front (small limit).
struct IncomingRequest {
    var method: String
    /// Raw path, still percent-encoded.
    var path: String
    var query: [(String, String)]
    var headers: HTTPFields
    var body: [UInt8]

    func header(_ name: String) -> String? {
        HTTPField.Name(name).flatMap { headers[$0] }
    }

    func queryValue(_ name: String) -> String? {
        query.first { $0.0 == name }?.1
    }
}

/// An answer built by an endpoint.
struct OutgoingResponse {
    var status: Int
    var headers: [(String, String)] = []
    var body: String = ""

    static func json(_ status: Int, _ object: Any, headers: [(String, String)] = []) -> OutgoingResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return OutgoingResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")] + headers,
                                body: String(decoding: data, as: UTF8.self))
    }

    static func html(_ status: Int, _ body: String) -> OutgoingResponse {
        OutgoingResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: body)
    }

    static func redirect(_ location: String) -> OutgoingResponse {
        OutgoingResponse(status: 302, headers: [("Location", location), ("Cache-Control", "no-cache")])
    }

    /// GitHub's error JSON shape (`status` is a string).
    static func apiError(_ status: Int, _ message: String, headers: [(String, String)] = []) -> OutgoingResponse {
        json(status, ["message": message, "documentation_url": "https://docs.github.com/rest", "status": String(status)], headers: headers)
    }

    func hummingbirdResponse() -> Response {
        var fields = HTTPFields()
        for (name, value) in headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return Response(status: .init(code: status), headers: fields,
                        body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

enum FormCoding {
    /// Parses `a=1&b=%20` (also `+` as space); malformed escapes keep their raw text.
    static func decode(_ text: Substring) -> [(String, String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecode(parts[0], plusAsSpace: true)
            let value = parts.count > 1 ? percentDecode(parts[1], plusAsSpace: true) : ""
            return (name, value)
        }
    }

    static func percentDecode(_ text: Substring, plusAsSpace: Bool) -> String {
        let source = plusAsSpace ? text.replacingOccurrences(of: "+", with: " ") : String(text)
        return source.removingPercentEncoding ?? source
    }

    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}

enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}

enum SandboxRandom {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// `prefix` + 36 random alphanumerics from the system CSPRNG.
    static func token(prefix: String, length: Int = 36) -> String {
        var rng = SystemRandomNumberGenerator()
        return prefix + String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
    }

    static func hex(_ byteCount: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<byteCount).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
    }
}

enum PKCECheck {
    /// RFC 7636: 43–128 unreserved characters.
    static func isValidVerifier(_ verifier: String) -> Bool {
        (43...128).contains(verifier.utf8.count)
            && verifier.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-._~".unicodeScalars.contains($0)) }
    }

    static func s256(_ verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

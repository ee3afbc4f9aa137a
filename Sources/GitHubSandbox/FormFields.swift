import Foundation

/// One `name=value` pair of an answer whose field order is part of what GitHub sends: redirect queries and the
/// token endpoint's form and XML bodies.
///
/// Hummingbird's `URLEncodedFormEncoder` does not fit these: it writes keys in dictionary order, and it leaves
/// `+`, `:` and `/` unescaped, so a `+` in an OAuth `state` would come back as a space from a form decoder.
struct FormField: Sendable {
    var name: String
    var value: String

    /// The pairs whose value is present, in the given order.
    static func present<Key: CodingKey>(_ pairs: [(Key, String?)]) -> [FormField] {
        pairs.compactMap { key, value in value.map { FormField(name: key.stringValue, value: $0) } }
    }
}

extension [FormField] {
    /// `a=1&b=2`, everything but unreserved characters percent-encoded.
    var urlEncoded: String {
        map { $0.name.percentEscaped + "=" + $0.value.percentEscaped }.joined(separator: "&")
    }

    /// `url` with these pairs added to its query.
    func appended(to url: String) -> String {
        url + (url.contains("?") ? "&" : "?") + urlEncoded
    }
}

extension String {
    /// Percent-encodes all but RFC 3986's unreserved characters, so the text survives any query or path segment.
    var percentEscaped: String {
        addingPercentEncoding(withAllowedCharacters: .unreserved) ?? ""
    }
}

extension CharacterSet {
    /// RFC 3986 unreserved: ASCII letters, digits and `-._~`.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

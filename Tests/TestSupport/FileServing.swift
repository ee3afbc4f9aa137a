import Foundation

/// One file the feed-style server serves, with the validators conditional requests are checked against.
public struct ServedFile: Sendable {
    public var contentType: String
    public var bytes: [UInt8]
    /// A strong validator including its quotes, e.g. "\"v1\"".
    public var etag: String
    /// An HTTP-date, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
    public var lastModified: String

    public init(contentType: String, bytes: [UInt8], etag: String? = nil, lastModified: String = "Wed, 21 Oct 2015 07:28:00 GMT") {
        self.contentType = contentType
        self.bytes = bytes
        self.etag = etag ?? ServedFile.defaultETag(for: bytes)
        self.lastModified = lastModified
    }

    /// FNV-1a of the bytes: a stable ETag that changes with the content.
    static func defaultETag(for bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return "\"\(String(hash, radix: 16))\""
    }
}

extension LoopbackHTTPServer {
    /// A simple feed server: path (query ignored) → file, 404 otherwise; If-None-Match / If-Modified-Since → 304.
    public static func serving(files: [String: ServedFile]) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in respond(to: request, from: files) }
    }

    /// The same from (content type, bytes) pairs, validators derived from the bytes.
    public static func serving(files: [String: (contentType: String, bytes: [UInt8])]) throws -> LoopbackHTTPServer {
        try serving(files: files.mapValues { ServedFile(contentType: $0.contentType, bytes: $0.bytes) })
    }

    static func respond(to request: RecordedRequest, from files: [String: ServedFile]) -> ScriptedResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return ScriptedResponse(status: 405, headers: [(name: "Allow", value: "GET, HEAD")])
        }
        guard let file = files[request.pathWithoutQuery] else { return .text("not found", status: 404) }
        let validators = [(name: "ETag", value: file.etag), (name: "Last-Modified", value: file.lastModified)]
        if let tags = request.header("If-None-Match") {
            // If-None-Match takes precedence over If-Modified-Since (RFC 9110 13.2.2).
            let listed = tags.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if listed.contains("*") || listed.contains(where: { weakCompare($0, file.etag) }) {
                return ScriptedResponse(status: 304, headers: validators)
            }
        } else if let since = request.header("If-Modified-Since").flatMap(HTTPDate.parse),
                  let modified = HTTPDate.parse(file.lastModified), modified <= since {
            return ScriptedResponse(status: 304, headers: validators)
        }
        return ScriptedResponse(status: 200, headers: [(name: "Content-Type", value: file.contentType)] + validators, body: file.bytes)
    }

    private static func weakCompare(_ a: String, _ b: String) -> Bool {
        func opaque(_ tag: String) -> Substring { tag.hasPrefix("W/") ? tag.dropFirst(2) : Substring(tag) }
        return opaque(a) == opaque(b)
    }
}

/// IMF-fixdate parsing (the only HTTP-date form clients should send).
enum HTTPDate {
    static func parse(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text)
    }
}

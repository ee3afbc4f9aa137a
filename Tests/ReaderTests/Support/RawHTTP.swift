import Foundation
import AppTestSupport

/// Sends bytes exactly as given to 127.0.0.1:port (no client normalising `..` or encodings away) and reads the
/// answer until the server closes. For request lines no well-behaved client would send.
enum RawHTTP {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func send(_ request: String, port: Int) throws -> Page {
        let connection = try RawConnection(port: port)
        guard connection.send(request) else { throw Failure(description: "write failed") }
        // The 20 s give-up is a safety net against a server that never answers, not a timing assertion.
        return try parse(connection.readBytesUntilClosed(giveUp: 20).received)
    }

    /// One HTTP/1.1 response with a Content-Length body (what Hummingbird sends for these pages).
    static func parse(_ bytes: [UInt8]) throws -> Page {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw Failure(description: "no complete response: \(text.prefix(200))") }
        var lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line") }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Page(status: status, headers: headers, body: String(text[split.upperBound...]))
    }

    static func get(_ target: String, port: Int) throws -> Page {
        try send("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", port: port)
    }
}

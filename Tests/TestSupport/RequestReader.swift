import Foundation

/// Reads one HTTP/1.1 request (head plus Content-Length or chunked body) from a connection.
enum RequestReader {
    static let maxHeadBytes = 64 * 1024
    static let maxBodyBytes = 16 * 1024 * 1024
    /// A silent client gets this long per read before the server gives up on it.
    static let readTimeoutMilliseconds: Int32 = 10_000

    static func read(from io: SocketIO) -> RecordedRequest? {
        var buffer: [UInt8] = []
        var headEnd: Int?
        while headEnd == nil {
            guard buffer.count < maxHeadBytes, let chunk = io.receive(timeoutMilliseconds: readTimeoutMilliseconds) else { return nil }
            buffer += chunk
            // A TLS handshake or other binary junk is refused at once rather than after the read timeout.
            guard !buffer.contains(where: { ($0 < 0x20 && $0 != 13 && $0 != 10 && $0 != 9) || $0 == 0x7F }) else { return nil }
            headEnd = find([13, 10, 13, 10], in: buffer)
        }
        guard let headEnd else { return nil }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: true)
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/") else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            headers.append((name: String(line[..<colon]), value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var request = RecordedRequest(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: [])
        var rest = Array(buffer[(headEnd + 4)...])
        if request.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            guard let body = readChunked(&rest, from: io) else { return nil }
            request.body = body
        } else if let lengthText = request.header("Content-Length") {
            guard let length = Int(lengthText), length >= 0, length <= maxBodyBytes else { return nil }
            while rest.count < length {
                guard let chunk = io.receive(timeoutMilliseconds: readTimeoutMilliseconds) else { return nil }
                rest += chunk
            }
            request.body = Array(rest[..<length])
        }
        return request
    }

    private static func readChunked(_ buffer: inout [UInt8], from io: SocketIO) -> [UInt8]? {
        var body: [UInt8] = []
        while true {
            guard let sizeLine = line(from: &buffer, io: io),
                  let size = Int(sizeLine.prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces), radix: 16),
                  size >= 0, body.count + size <= maxBodyBytes else { return nil }
            if size == 0 {
                while let trailer = line(from: &buffer, io: io), !trailer.isEmpty {}
                return body
            }
            while buffer.count < size + 2 {
                guard let chunk = io.receive(timeoutMilliseconds: readTimeoutMilliseconds) else { return nil }
                buffer += chunk
            }
            body += buffer[..<size]
            buffer.removeFirst(size + 2)
        }
    }

    private static func line(from buffer: inout [UInt8], io: SocketIO) -> String? {
        while true {
            if let end = find([13, 10], in: buffer) {
                let text = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 2)
                return text
            }
            guard buffer.count < maxHeadBytes, let chunk = io.receive(timeoutMilliseconds: readTimeoutMilliseconds) else { return nil }
            buffer += chunk
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}

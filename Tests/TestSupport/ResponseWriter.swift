/// Plays a `ScriptedResponse` onto a connection, misbehaviour included, and reports how it ended.
enum ResponseWriter {
    static func write(_ response: ScriptedResponse, for request: RecordedRequest, to io: SocketIO) -> ConnectionOutcome {
        func finish(_ result: SocketIO.SendResult) -> ConnectionOutcome? {
            switch result {
            case .sent: nil
            case .hungUp: .clientHungUp
            case .stopped: .serverStopped
            }
        }
        let bodyAllowed = request.method != "HEAD" && response.status != 204 && response.status != 304 && !(100..<200).contains(response.status)

        switch response.behaviour {
        case .closeWithoutResponse:
            return .completed
        case .rawBytes:
            return finish(io.send(response.body)) ?? .completed
        case .stallBeforeHeaders(let seconds):
            return io.idle(seconds: seconds) ?? .completed
        default:
            break
        }

        var headers = response.headers
        if !response.hasHeader("Connection") { headers.append((name: "Connection", value: "close")) }
        if !response.hasHeader("Content-Length") && !response.hasHeader("Transfer-Encoding") {
            switch response.behaviour {
            case .endlessBody: headers.append((name: "Transfer-Encoding", value: "chunked"))
            case .declaredLength(let length): headers.append((name: "Content-Length", value: String(length)))
            default: if bodyAllowed || request.method == "HEAD" { headers.append((name: "Content-Length", value: String(response.body.count))) }
            }
        }
        var head = "HTTP/1.1 \(response.status) \(reason(response.status))\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        if let outcome = finish(io.send(Array(head.utf8))) { return outcome }
        guard bodyAllowed else { return .completed }

        switch response.behaviour {
        case .stallAfterHeaders(let seconds):
            return io.idle(seconds: seconds) ?? .completed
        case .endlessBody:
            let piece = response.body.isEmpty ? [UInt8](repeating: UInt8(ascii: "x"), count: 16 * 1024) : response.body
            let chunk = Array(String(piece.count, radix: 16).utf8) + [13, 10] + piece + [13, 10]
            while true {
                if let outcome = finish(io.send(chunk)) { return outcome }
            }
        case .drip(let interval):
            for byte in response.body {
                if let outcome = finish(io.send([byte])) { return outcome }
                if let outcome = io.idle(seconds: Double(interval) / 1000) { return outcome }
            }
            return .completed
        default:
            return finish(io.send(response.body)) ?? .completed
        }
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

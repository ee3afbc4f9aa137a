/// One request as the loopback server received it, so tests can assert what a client sent.
public struct RecordedRequest: Sendable {
    public var method: String
    /// Path including any query string, exactly as sent on the request line.
    public var path: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, path: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }

    /// The first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The path without its query string.
    public var pathWithoutQuery: String { String(path.prefix { $0 != "?" }) }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What the server sends back, including scripted misbehaviour for timeout and robustness tests.
public struct ScriptedResponse: Sendable {
    public enum Behaviour: Sendable, Equatable {
        /// Status, headers, body with a correct Content-Length, then close.
        case normal
        /// Send nothing for this long (or until the client leaves or the server stops), then close.
        case stallBeforeHeaders(seconds: Double)
        /// Send the headers, then nothing for this long (or until the client leaves or the server stops), then close.
        case stallAfterHeaders(seconds: Double)
        /// A chunked body that repeats `body` (or filler) until the client goes away or the server stops.
        case endlessBody
        /// The body one byte at a time with this pause between bytes.
        case drip(intervalMilliseconds: Int)
        /// Declares this Content-Length but sends only `body`, then closes.
        case declaredLength(Int)
        /// Reads the request and closes the connection without a byte of response.
        case closeWithoutResponse
        /// Sends `body` verbatim instead of a response (no status line, no headers added), then closes.
        case rawBytes
    }

    public var status: Int
    /// Sent as given; Content-Length (or chunked framing) and `Connection: close` are added unless present.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var behaviour: Behaviour

    public init(status: Int = 200, headers: [(name: String, value: String)] = [], body: [UInt8] = [], behaviour: Behaviour = .normal) {
        self.status = status
        self.headers = headers
        self.body = body
        self.behaviour = behaviour
    }

    public static func text(_ text: String, status: Int = 200, headers: [(name: String, value: String)] = []) -> ScriptedResponse {
        ScriptedResponse(status: status, headers: [(name: "Content-Type", value: "text/plain; charset=utf-8")] + headers, body: Array(text.utf8))
    }

    public static func redirect(to location: String, status: Int = 302) -> ScriptedResponse {
        ScriptedResponse(status: status, headers: [(name: "Location", value: location)])
    }

    /// Whether any of `headers` has this name, compared case-insensitively.
    func hasHeader(_ name: String) -> Bool {
        headers.contains { $0.name.lowercased() == name.lowercased() }
    }
}

/// How a connection ended, so tests can check that a client really went away.
public enum ConnectionOutcome: Sendable, Equatable {
    /// The whole scripted response was sent (or a stall ran out) and the server closed.
    case completed
    /// The client closed or reset the connection before the server was done.
    case clientHungUp
    /// `stop()` ended it.
    case serverStopped
    /// The request could not be parsed (or never arrived); the server answered 400 or just closed.
    case badRequest
}

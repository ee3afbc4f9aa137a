import Foundation

/// One outbound HTTP request. Limits have safe defaults; callers tighten them per use.
public struct CurlRequest: Sendable {
    public var method: String
    public var url: String
    /// Header fields in order; names compare case-insensitively.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    public var connectTimeout: Duration
    /// Whole transfer, redirects included.
    public var totalTimeout: Duration
    /// Abort when fewer than `lowSpeedBytesPerSecond` arrive for `lowSpeedWindow`.
    public var lowSpeedBytesPerSecond: Int
    public var lowSpeedWindow: Duration
    /// A body larger than this (declared or streamed) fails with `.tooLarge`.
    public var maxBodyBytes: Int
    /// 0 disables following; redirects from https to http are always refused.
    public var maxRedirects: Int
    /// Which addresses connections may go to; a refused one fails the request with `.blockedAddress`.
    public var connectPolicy: ConnectPolicy

    public init(
        method: String = "GET",
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8]? = nil,
        connectTimeout: Duration = .seconds(10),
        totalTimeout: Duration = .seconds(30),
        lowSpeedBytesPerSecond: Int = 1,
        lowSpeedWindow: Duration = .seconds(15),
        maxBodyBytes: Int = 10 * 1024 * 1024,
        maxRedirects: Int = 5,
        connectPolicy: ConnectPolicy = .anyAddress
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond
        self.lowSpeedWindow = lowSpeedWindow
        self.maxBodyBytes = maxBodyBytes
        self.maxRedirects = maxRedirects
        self.connectPolicy = connectPolicy
    }
}

/// What came back: the final response after any redirects, body already decoded (gzip, deflate, br).
public struct CurlResponse: Sendable {
    public var status: Int
    /// Header fields of the final response, in order.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The URL that produced this response (after redirects).
    public var effectiveURL: String
    public var redirectCount: Int
    /// Wall-clock seconds for the whole transfer.
    public var totalSeconds: Double

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8], effectiveURL: String, redirectCount: Int = 0, totalSeconds: Double = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.effectiveURL = effectiveURL
        self.redirectCount = redirectCount
        self.totalSeconds = totalSeconds
    }

    /// The first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Throws `.httpStatus` unless the status is 2xx.
    public func requireSuccess() throws(CurlError) -> CurlResponse {
        guard (200..<300).contains(status) else { throw .httpStatus(status) }
        return self
    }
}

/// Why a transfer failed. Messages name the host at most, never a query string, header or body.
public enum CurlError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidURL
    case unsupportedScheme(String)
    case dns(host: String)
    case connect(host: String)
    case tls(String)
    case timeout
    case tooLarge(limit: Int)
    case tooManyRedirects(limit: Int)
    /// A redirect tried to leave https for http.
    case insecureRedirect
    case httpStatus(Int)
    case transfer(code: Int, message: String)
    /// The calling Task was cancelled or the client was shut down; the transfer was aborted.
    case cancelled
    /// The request itself is unusable (bad method token, line break in a header); says which part, never its value.
    case invalidRequest(String)
    /// The request's `ConnectPolicy` refused the address a connection would have gone to. Says neither the
    /// address nor the port, and reads the same whether that port is open or closed: no map of anyone's network.
    case blockedAddress

    public var description: String {
        switch self {
        case .invalidURL: "invalid URL"
        case .unsupportedScheme(let s): "unsupported URL scheme '\(s)'"
        case .dns(let host): "could not resolve host \(host)"
        case .connect(let host): "could not connect to \(host)"
        case .tls(let m): "TLS error: \(m)"
        case .timeout: "timed out"
        case .tooLarge(let limit): "response body larger than \(limit) bytes"
        case .tooManyRedirects(let limit): "more than \(limit) redirects"
        case .insecureRedirect: "refused a redirect from https to http"
        case .httpStatus(let code): "HTTP \(code)"
        case .transfer(let code, let m): "transfer failed (curl \(code)): \(m)"
        case .cancelled: "request cancelled before it completed"
        case .invalidRequest(let m): "invalid request: \(m)"
        case .blockedAddress: "blocked: private address"
        }
    }
}

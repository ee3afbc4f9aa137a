import CCurl
import Foundation

/// One request's curl easy handle and the response it accumulates; frees the handle in deinit.
/// After `MultiLoop.submit` only the transfer thread touches it, except `cancelRequested`, which the loop's lock guards.
final class Transfer: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    let originalScheme: String
    let maxBodyBytes: Int
    let maxRedirects: Int
    /// The original URL's scheme, host and port: what the per-host cap counts.
    let hostKey: String
    private let originalHost: String
    /// nil when the request may connect anywhere.
    private let connectGuard: ConnectGuard?
    private var requestHeaders: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>

    private(set) var body: [UInt8] = []
    private(set) var responseHeaders: [(name: String, value: String)] = []
    private(set) var exceededBodyCap = false
    /// Set when the connect guard refused a connection, so the failure reads `.blockedAddress`, not a connect error.
    private(set) var refusedByConnectGuard = false
    /// The Location of the latest response, kept to tell a refused https→http redirect from other scheme refusals.
    private var latestLocation: String?

    var continuation: CheckedContinuation<Result<CurlResponse, CurlError>, Never>?
    /// Guarded by `MultiLoop`'s lock.
    var cancelRequested = false

    init(request: CurlRequest, userAgent: String) throws(CurlError) {
        _ = CurlGlobal.isInitialized
        let target = try RequestTarget(url: request.url)
        try Self.validate(method: request.method, headers: request.headers)
        guard let handle = curl_easy_init() else { throw .transfer(code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_easy_init failed") }
        self.handle = handle
        self.originalScheme = target.scheme
        self.originalHost = target.host
        self.hostKey = target.hostKey
        self.maxBodyBytes = max(0, request.maxBodyBytes)
        self.maxRedirects = max(0, request.maxRedirects)
        self.connectGuard = ConnectGuard(policy: request.connectPolicy)
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try configure(request, userAgent: userAgent)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(requestHeaders)
        errorBuffer.deallocate()
    }

    /// Resumes the waiting caller exactly once.
    func finish(_ result: Result<CurlResponse, CurlError>) {
        continuation?.resume(returning: result)
        continuation = nil
    }

    /// The outcome once curl reports the transfer done.
    func result(for code: CURLcode) -> Result<CurlResponse, CurlError> {
        guard code == CURLE_OK else { return .failure(CurlError(code: code, transfer: self)) }
        var status = 0
        _ = newsroom_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var redirects = 0
        _ = newsroom_easy_getinfo_long(handle, CURLINFO_REDIRECT_COUNT, &redirects)
        var seconds = 0.0
        _ = newsroom_easy_getinfo_double(handle, CURLINFO_TOTAL_TIME, &seconds)
        let url = effectiveURL ?? ""
        // file:// has no status line; a file that was read is a success.
        if status == 0 && originalScheme == "file" { status = 200 }
        return .success(CurlResponse(status: status, headers: responseHeaders, body: body, effectiveURL: url,
                                     redirectCount: redirects, totalSeconds: seconds))
    }

    var effectiveURL: String? {
        var pointer: UnsafeMutablePointer<CChar>?
        guard newsroom_easy_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &pointer) == CURLE_OK, let pointer else { return nil }
        return String(cString: pointer)
    }

    /// Host of the URL curl was working on when it failed (it may differ from the original after redirects).
    var currentHost: String {
        if let url = effectiveURL, let target = try? RequestTarget(url: url), !target.host.isEmpty { return target.host }
        return originalHost
    }

    /// The scheme of a redirect curl refused to follow, if the latest response redirected to an absolute URL.
    var refusedRedirectScheme: String? {
        guard let location = latestLocation, let colon = location.firstIndex(of: ":") else { return nil }
        let scheme = location[..<colon].lowercased()
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) else { return nil }
        return scheme
    }

    private var errorDetail: String? {
        let text = String(cString: errorBuffer)
        return text.isEmpty ? nil : text
    }

    /// curl's specific message ("transfer closed with 96 bytes remaining"), unless it might quote a URL.
    var safeErrorDetail: String? {
        guard let text = errorDetail, !text.contains("://"), !text.contains("?"), !text.contains("@") else { return nil }
        return text
    }

    // MARK: - Callbacks

    fileprivate func receiveBody(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard body.count + bytes.count <= maxBodyBytes else {
            exceededBodyCap = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    func receiveHeaderLine(_ bytes: UnsafeBufferPointer<UInt8>) {
        var end = bytes.count
        while end > 0 && (bytes[end - 1] == 10 || bytes[end - 1] == 13) { end -= 1 }
        // Trim bytes, not Characters: Swift treats "\r\n" as one Character.
        let line = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new status line: an interim (1xx) or redirect response's headers are no longer interesting.
            responseHeaders.removeAll()
            latestLocation = nil
            return
        }
        guard !line.isEmpty else { return }
        if line.first == " " || line.first == "\t" {
            // Obsolete line folding continues the previous field's value.
            if let last = responseHeaders.indices.last {
                responseHeaders[last].value += " " + line.trimmingCharacters(in: .whitespaces)
            }
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces)
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        responseHeaders.append((name: name, value: value))
        if name.caseInsensitiveCompare("Location") == .orderedSame { latestLocation = value }
    }

    /// Asks the guard about a connection to `address` for the URL curl is fetching now. After a redirect curl has
    /// already moved its effective URL to the target, so the host compared is the one this connection is for.
    func mayConnect(to address: NetworkAddress?) -> Bool {
        guard let connectGuard else { return true }
        if connectGuard.permits(address, forURL: effectiveURL) { return true }
        refusedByConnectGuard = true
        return false
    }

    /// The same check for a connection curl chose to reuse (no socket is opened for it), by its peer's address text.
    fileprivate func mayUseConnection(toPeer peer: String) -> Bool {
        guard connectGuard != nil else { return true }
        // file:// has no peer; its scheme cannot be reached by a redirect, only configured.
        if peer.isEmpty, let url = effectiveURL, url.lowercased().hasPrefix("file:") { return true }
        return mayConnect(to: NetworkAddress(peer))
    }

    // MARK: - Setup

    private func configure(_ request: CurlRequest, userAgent: String) throws(CurlError) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        var failed: CURLcode = CURLE_OK
        func check(_ code: CURLcode) { if code != CURLE_OK && failed == CURLE_OK { failed = code } }

        check(newsroom_easy_setopt_string(handle, CURLOPT_URL, request.url))
        check(newsroom_easy_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        check(newsroom_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        check(newsroom_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https,file"))
        // Never leave https; plain http may upgrade to https.
        check(newsroom_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, originalScheme == "https" ? "https" : "http,https"))
        check(newsroom_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, maxRedirects > 0 ? 1 : 0))
        check(newsroom_easy_setopt_long(handle, CURLOPT_MAXREDIRS, maxRedirects))
        check(newsroom_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""))
        check(newsroom_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
        check(newsroom_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
        check(newsroom_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.curlMilliseconds))
        check(newsroom_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, request.totalTimeout.curlMilliseconds))
        check(newsroom_easy_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, max(0, request.lowSpeedBytesPerSecond)))
        check(newsroom_easy_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, request.lowSpeedWindow.curlSeconds))
        check(newsroom_easy_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxBodyBytes)))
        check(newsroom_easy_setopt_string(handle, CURLOPT_USERAGENT, userAgent))

        check(newsroom_easy_setopt_write(handle, CURLOPT_WRITEFUNCTION, { data, size, count, context in
            guard let context else { return 0 }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(data)?.assumingMemoryBound(to: UInt8.self), count: size * count)
            return transfer.receiveBody(bytes) ? size * count : 0
        }))
        check(newsroom_easy_setopt_ptr(handle, CURLOPT_WRITEDATA, me))
        check(newsroom_easy_setopt_write(handle, CURLOPT_HEADERFUNCTION, { data, size, count, context in
            guard let context else { return 0 }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            transfer.receiveHeaderLine(UnsafeBufferPointer(start: UnsafeRawPointer(data)?.assumingMemoryBound(to: UInt8.self), count: size * count))
            return size * count
        }))
        check(newsroom_easy_setopt_ptr(handle, CURLOPT_HEADERDATA, me))

        if connectGuard != nil {
            check(newsroom_easy_setopt_opensocket(handle, CURLOPT_OPENSOCKETFUNCTION, { context, _, address in
                guard let context, let address else { return -1 }  // CURL_SOCKET_BAD
                let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
                var raw = [UInt8](repeating: 0, count: 16)
                let length = Int(newsroom_curl_sockaddr_ip(address, &raw))
                guard transfer.mayConnect(to: NetworkAddress(bytes: Array(raw.prefix(length)))) else { return -1 }
                #if os(Linux)
                let socketType = address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue)  // no child process inherits a feed connection
                #else
                let socketType = address.pointee.socktype
                #endif
                return socket(address.pointee.family, socketType, address.pointee.protocol)
            }))
            check(newsroom_easy_setopt_ptr(handle, CURLOPT_OPENSOCKETDATA, me))
            // A connection another transfer left open (the GitHub client's, say) is reused without opening a socket.
            check(newsroom_easy_setopt_prereq(handle, CURLOPT_PREREQFUNCTION, { context, peer, _, _, _ in
                guard let context else { return Int32(CURL_PREREQFUNC_ABORT) }
                let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
                let text = peer.map { String(cString: $0) } ?? ""
                return transfer.mayUseConnection(toPeer: text) ? Int32(CURL_PREREQFUNC_OK) : Int32(CURL_PREREQFUNC_ABORT)
            }))
            check(newsroom_easy_setopt_ptr(handle, CURLOPT_PREREQDATA, me))
        }

        configureMethod(request, check: check)

        var list: UnsafeMutablePointer<curl_slist>?
        // curl would add "Expect: 100-continue" to large bodies and wait for a reply few servers send.
        var lines = request.headers.contains { $0.name.caseInsensitiveCompare("Expect") == .orderedSame } ? [] : ["Expect:"]
        // "Name;" is curl's spelling of a header with an empty value ("Name:" would delete it).
        lines += request.headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
        for line in lines {
            guard let appended = curl_slist_append(list, line) else { failed = CURLE_OUT_OF_MEMORY; break }
            list = appended
        }
        requestHeaders = list
        check(newsroom_easy_setopt_ptr(handle, CURLOPT_HTTPHEADER, list))

        if failed == CURLE_URL_MALFORMAT { throw .invalidURL }
        if failed != CURLE_OK { throw .transfer(code: Int(failed.rawValue), message: CurlError.genericMessage(failed)) }
    }

    private func configureMethod(_ request: CurlRequest, check: (CURLcode) -> Void) {
        let method = request.method.uppercased()
        switch (method, request.body) {
        case ("GET", nil):
            check(newsroom_easy_setopt_long(handle, CURLOPT_HTTPGET, 1))
        case ("HEAD", nil):
            check(newsroom_easy_setopt_long(handle, CURLOPT_NOBODY, 1))
        default:
            let body = request.body ?? []
            if method == "POST" {
                check(newsroom_easy_setopt_long(handle, CURLOPT_POST, 1))
            } else {
                check(newsroom_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method))
            }
            if request.body != nil || method == "POST" {
                // The size must be set before COPYPOSTFIELDS, which then copies exactly that many bytes.
                check(newsroom_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
                body.withUnsafeBytes { raw in
                    let empty: StaticString = ""
                    let pointer = raw.baseAddress ?? UnsafeRawPointer(empty.utf8Start)
                    check(newsroom_easy_setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: pointer)))
                }
            }
        }
    }

    /// Rejects what would let a caller's input smuggle extra header lines or a malformed request line.
    private static func validate(method: String, headers: [(name: String, value: String)]) throws(CurlError) {
        guard !method.isEmpty, method.utf8.allSatisfy(isTokenByte) else {
            throw .invalidRequest("the method is not a valid HTTP token")
        }
        for (name, value) in headers {
            guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte) else {
                throw .invalidRequest("a header name is empty or has characters not allowed in a field name")
            }
            guard !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw .invalidRequest("header '\(name)' has a line break or NUL in its value")
            }
        }
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

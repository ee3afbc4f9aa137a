import CCurl
import Foundation

extension CurlError {
    /// Maps a finished transfer's CURLcode to the error a caller can act on; messages carry the host at most.
    init(code: CURLcode, transfer: Transfer) {
        // The guard refuses by failing the socket (COULDNT_CONNECT) or, on a reused connection, the request (ABORTED).
        if transfer.refusedByConnectGuard && (code == CURLE_COULDNT_CONNECT || code == CURLE_ABORTED_BY_CALLBACK) {
            self = .blockedAddress
            return
        }
        switch code {
        case CURLE_URL_MALFORMAT:
            self = .invalidURL
        case CURLE_UNSUPPORTED_PROTOCOL:
            if let target = transfer.refusedRedirectScheme {
                self = (transfer.originalScheme == "https" && target == "http") ? .insecureRedirect : .unsupportedScheme(target)
            } else if RequestTarget.supportedSchemes.contains(transfer.originalScheme) {
                // Nothing was redirected, so the reply itself was not HTTP (curl refuses HTTP/0.9).
                self = .transfer(code: Int(code.rawValue), message: "the server's reply is not an HTTP response")
            } else {
                self = .unsupportedScheme(transfer.originalScheme)
            }
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            self = .dns(host: transfer.currentHost)
        case CURLE_COULDNT_CONNECT:
            self = .connect(host: transfer.currentHost)
        case CURLE_OPERATION_TIMEDOUT:
            self = .timeout
        case CURLE_FILESIZE_EXCEEDED:
            self = .tooLarge(limit: transfer.maxBodyBytes)
        case CURLE_WRITE_ERROR where transfer.exceededBodyCap:
            self = .tooLarge(limit: transfer.maxBodyBytes)
        case CURLE_TOO_MANY_REDIRECTS:
            self = .tooManyRedirects(limit: transfer.maxRedirects)
        case CURLE_ABORTED_BY_CALLBACK:
            self = .cancelled
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT:
            // curl's TLS detail ("certificate has expired") is what an operator needs; it names the host at most.
            self = .tls(transfer.safeErrorDetail ?? Self.genericMessage(code))
        default:
            self = .transfer(code: Int(code.rawValue), message: transfer.safeErrorDetail ?? Self.genericMessage(code))
        }
    }

    /// curl's fixed text for a code, which never contains the URL, headers or body.
    static func genericMessage(_ code: CURLcode) -> String {
        guard let text = curl_easy_strerror(code) else { return "unknown error" }
        return String(cString: text)
    }
}

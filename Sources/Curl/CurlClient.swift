import CCurl
import Foundation

/// An async HTTP client over libcurl, shared by the feed fetcher and the GitHub client.
///
/// All transfers run on one dedicated thread driving a curl multi handle, so awaiting `send` never blocks
/// Swift's cooperative thread pool. At most `maxTotalConnections` transfers run at once and
/// `maxConnectionsPerHost` per (scheme, host, port); the rest wait in arrival order, and their timeouts
/// only start once they begin.
public final class CurlClient: Sendable {
    private let userAgent: String
    private let loop: MultiLoop

    public init(userAgent: String = "newsroom/0.1 (+https://github.com/newsroom)", maxTotalConnections: Int = 8, maxConnectionsPerHost: Int = 2) {
        self.userAgent = userAgent
        self.loop = MultiLoop(maxTotalConnections: maxTotalConnections, maxConnectionsPerHost: maxConnectionsPerHost)
    }

    deinit {
        loop.shutdown()
    }

    /// Performs one request and returns the final response after redirects; any HTTP status is a response.
    ///
    /// Throws only `CurlError`. Cancelling the calling Task aborts the transfer and throws `.cancelled`
    /// (not `CancellationError`, so the error type stays typed).
    public func send(_ request: CurlRequest) async throws(CurlError) -> CurlResponse {
        let transfer = try Transfer(request: request, userAgent: userAgent)
        let loop = self.loop
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<CurlResponse, CurlError>, Never>) in
                transfer.continuation = continuation
                loop.submit(transfer)
            }
        } onCancel: {
            loop.cancel(transfer)
        }
        return try result.get()
    }

    /// Aborts every unfinished transfer (their callers get `.cancelled`) and stops the transfer thread.
    /// Later `send` calls fail with `.cancelled`. Called by deinit; calling it twice is harmless.
    public func shutdown() {
        loop.shutdown()
    }
}

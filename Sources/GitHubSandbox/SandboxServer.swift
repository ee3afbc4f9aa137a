import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

public enum GitHubSandboxError: Error, Sendable, CustomStringConvertible {
    case serverDidNotStart

    public var description: String { "the GitHub sandbox server stopped before it was listening" }
}

extension GitHubSandbox {
    /// Runs the sandbox on `host:port` (0 = any free port) until the task is cancelled.
    /// `onRunning` gets the bound port once the socket listens; `authURL`/`apiURL` are set by then.
    public func run(host: String = "127.0.0.1", port: Int = 0, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(host: host, port: port, onRunning: onRunning).run()
    }

    /// The Hummingbird application serving this sandbox, for callers that run it in their own ServiceGroup.
    public func application(host: String = "127.0.0.1", port: Int = 0,
                            onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol & Service {
        var logger = Logger(label: "GitHubSandbox")
        logger.logLevel = .critical
        return Application(
            responder: CallbackResponder { [self] (request: Request, _: BasicRequestContext) in
                await self.respond(to: request)
            },
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { [self] channel in
                let bound = channel.localAddress?.port ?? port
                let hostPart = host.contains(":") ? "[\(host)]" : host
                self.state.withLock { $0.origin = "http://\(hostPart):\(bound)" }
                await onRunning(bound)
            },
            logger: logger)
    }

    /// Starts the sandbox on a random port of `host`, runs `body`, then shuts the server down gracefully.
    /// Throws the server's error if it cannot start (e.g. the address cannot be bound).
    public func withRunningServer<T: Sendable>(host: String = "127.0.0.1", _ body: @Sendable (GitHubSandbox) async throws -> T) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "GitHubSandbox")
        logger.logLevel = .critical
        let group = ServiceGroup(configuration: .init(
            services: [application(host: host, onRunning: { port in continuation.yield(port); continuation.finish() })], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { continuation.finish() }
                try await group.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard await iterator.next() != nil else {
                try await tasks.waitForAll()
                throw GitHubSandboxError.serverDidNotStart
            }
            let result: Result<T, any Error>
            do { result = .success(try await body(self)) } catch { result = .failure(error) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try result.get()
        }
    }

    /// Answers one request whose path includes `webPrefix`/`apiPrefix`; lets an app mount the sandbox in its own router.
    public func handle(_ request: Request) async -> Response {
        await respond(to: request)
    }

    func respond(to request: Request) async -> Response {
        var request = request
        let body = (try? await request.collectBody(upTo: 256 * 1024)).map { Array($0.readableBytesView) } ?? []
        let query = request.uri.query.map { FormCoding.decode(Substring($0)) } ?? []
        let incoming = IncomingRequest(method: request.method.rawValue, path: request.uri.path, query: query,
                                       headers: request.headers, body: body)
        await waitOutLatency()
        let (endpoint, response) = route(incoming)
        log(incoming, endpoint: endpoint, status: response.status)
        return response.hummingbirdResponse()
    }

    /// Re-reads the latency while waiting, so `setLatency(.zero)` releases requests already held.
    private func waitOutLatency() async {
        let start = ContinuousClock.now
        while !Task.isCancelled, ContinuousClock.now - start < state.withLock({ $0.latency }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    private func log(_ request: IncomingRequest, endpoint: SandboxEndpoint, status: Int) {
        let scheme = request.header("Authorization")?.split(separator: " ", maxSplits: 1).first.map(String.init)
        let entry = SandboxRequest(
            method: request.method, path: request.path, endpoint: endpoint, time: now,
            userAgent: request.header("User-Agent"), accept: request.header("Accept"),
            apiVersion: request.header("X-GitHub-Api-Version"), authorizationScheme: scheme, status: status)
        state.withLock { $0.requests.append(entry) }
    }

    /// Dispatches on the raw path; unknown paths answer GitHub-style 404s.
    func route(_ request: IncomingRequest) -> (SandboxEndpoint, OutgoingResponse) {
        let oauthBase = webPrefix + "/login/oauth/"
        if request.path.hasPrefix(oauthBase) {
            switch (request.method, String(request.path.dropFirst(oauthBase.count))) {
            case ("GET", "authorize"): return (.authorizePage, authorizePage(request))
            case ("POST", "authorize"): return (.authorizeDecision, authorizeDecision(request))
            case ("POST", "access_token"): return (.accessToken, accessToken(request))
            default: return (.notFound, .html(404, "<h1>Not Found</h1>"))
            }
        }
        if request.path == apiPrefix || request.path.hasPrefix(apiPrefix + "/") {
            let rest = request.path.dropFirst(apiPrefix.count)
            let segments = rest.split(separator: "/", omittingEmptySubsequences: true).map { FormCoding.percentDecode($0, plusAsSpace: false) }
            return api(request, segments: segments)
        }
        return (.notFound, .html(404, "<h1>Not Found</h1>"))
    }
}

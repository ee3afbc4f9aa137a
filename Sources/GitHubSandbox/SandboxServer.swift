import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

public enum GitHubSandboxError: Error, Sendable, CustomStringConvertible {
    case serverDidNotStart

    public var description: String { "the GitHub sandbox server stopped before it was listening" }
}

/// The context of the sandbox's own router. Besides the server's source it can be made from a logger alone,
/// so `handle(_:)` can answer a request that did not arrive on a channel of ours.
struct SandboxRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    init(logger: Logger) {
        coreContext = .init(source: LoggerSource(logger: logger))
    }

    private struct LoggerSource: RequestContextSource {
        var logger: Logger
    }
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
        Application(
            router: router { self },
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { [self] channel in
                let bound = channel.localAddress?.port ?? port
                let hostPart = host.contains(":") ? "[\(host)]" : host
                self.state.withLock { $0.origin = "http://\(hostPart):\(bound)" }
                await onRunning(bound)
            },
            logger: Self.quietLogger)
    }

    /// Starts the sandbox on a random port of `host`, runs `body`, then shuts the server down gracefully.
    /// Throws the server's error if it cannot start (e.g. the address cannot be bound).
    public func withRunningServer<T: Sendable>(host: String = "127.0.0.1", _ body: @Sendable (GitHubSandbox) async throws -> T) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let group = ServiceGroup(configuration: .init(
            services: [application(host: host, onRunning: { port in continuation.yield(port); continuation.finish() })], logger: Self.quietLogger))
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

    /// Answers one request whose path includes `webPrefix`/`apiPrefix`, as the sandbox's own server would.
    /// Lets an app forward requests to the sandbox; `addRoutes(to:)` mounts the routes instead.
    public func handle(_ request: Request) async -> Response {
        (try? await responder.respond(to: request, context: SandboxRequestContext(logger: Self.quietLogger))) ?? .notFoundPage
    }

    /// `handle(_:)`'s router, built on first use. Its routes hold the sandbox unowned: they run only inside
    /// `handle(_:)`, a call on the sandbox, so it is alive; a strong hold would keep it alive forever.
    private var responder: RouterResponder<SandboxRequestContext> {
        handleResponder.withLock { cached in
            if let cached { return cached }
            let built = router { [unowned self] in self }.buildResponder()
            cached = built
            return built
        }
    }

    /// The sandbox's routes, plus GitHub's 404s for whatever they do not match.
    private func router(_ sandbox: @escaping @Sendable () -> GitHubSandbox) -> Router<SandboxRequestContext> {
        let router = Router(context: SandboxRequestContext.self)
        router.add(middleware: UnmatchedRequests(sandbox: sandbox))
        Self.addRoutes(to: router, answeredBy: sandbox)
        return router
    }

    private static var quietLogger: Logger {
        var logger = Logger(label: "GitHubSandbox")
        logger.logLevel = .critical
        return logger
    }
}

/// Turns the router's "no route" into the answer GitHub gives for that path, logged like any other request.
/// Routes never throw, so the only error that reaches here is the router's own 404.
private struct UnmatchedRequests<Context: RequestContext>: RouterMiddleware {
    let sandbox: @Sendable () -> GitHubSandbox

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let sandbox = sandbox()
            return await sandbox.serve(.notFound, request, sandbox.unmatched)
        }
    }
}

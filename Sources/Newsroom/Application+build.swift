import Foundation
import Synchronization
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Curl
import GitHub
import GitHubSandbox
import Pages
import Storage

/// The Hummingbird application around the parts `AppParts.make` composed (the CLI prints its banner in between;
/// tests reach into the parts: store, refresher).
/// - Parameter onServerRunning: told the parts as they serve, once the server listens: their `config.port` is the
///   bound port (the kernel's choice when it was 0), and a public URL that followed port 0 names it.
public func buildApplication(parts: AppParts, logger: Logger, runsRefresher: Bool = true,
                             onServerRunning: @escaping @Sendable (AppParts) async -> Void = { _ in }) -> some ApplicationProtocol {
    let config = parts.config
    // Routes built for a public URL that is not known yet would send people to port 0: those wait for the bind.
    let responder = AppResponder(config.publicURLFollowsBoundPort ? nil : parts.routes, secureTransport: !config.insecureTransport)
    return Application(
        responder: responder,
        server: ConnectionLimits.server(config: config, logger: logger),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "newsroom",
                             availableConnectionsDelegate: ConnectionLimits.admission(config: config, logger: logger)),
        services: (runsRefresher ? parts.services : []) + parts.metricsListener(logger: logger),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? config.port
            let serving: AppParts
            do {
                serving = try await parts.listening(on: port)
            } catch {
                logger.critical("newsroom cannot serve on port \(port), answering 503: \(error)")
                return
            }
            if config.publicURLFollowsBoundPort { responder.install(serving.routes) }
            logger.info("newsroom is serving \(serving.config.publicURL) (bound to \(channel.localAddress?.description ?? "?"))")
            await onServerRunning(serving)
        },
        logger: logger)
}

/// The app's routes, installed before the server starts or, when the public URL follows port 0, as soon as it
/// listens; until then every request is a 503. Every body is read (up to `RequestBodyLimit.bytes`) before
/// routing, so one limit holds on every route, including those that never look at a body.
final class AppResponder: HTTPResponder, Sendable {
    typealias Context = NewsroomContext
    private let routes: Mutex<RouterResponder<NewsroomContext>?>
    /// Put on the 413 too, which is answered here, before the router's middleware.
    private let securityHeaders: SecurityHeadersMiddleware

    init(_ routes: RouterResponder<NewsroomContext>?, secureTransport: Bool) {
        self.routes = Mutex(routes)
        securityHeaders = SecurityHeadersMiddleware(secureTransport: secureTransport)
    }

    func install(_ routes: RouterResponder<NewsroomContext>) { self.routes.withLock { $0 = routes } }

    func respond(to request: Request, context: NewsroomContext) async throws -> Response {
        guard let routes = routes.withLock({ $0 }) else { return Response(status: .serviceUnavailable, headers: [.retryAfter: "1"]) }
        var request = request
        // A declared length over the limit is refused unread; a chunked body is read only up to it.
        guard !RequestBodyLimit.isDeclaredOver(RequestBodyLimit.bytes, request.headers) else { return try await tooLarge(request, context) }
        do { _ = try await request.collectBody(upTo: RequestBodyLimit.bytes) } catch is NIOTooManyBytesError {
            return try await tooLarge(request, context)
        }
        return try await routes.respond(to: request, context: context)
    }

    private func tooLarge(_ request: Request, _ context: NewsroomContext) async throws -> Response {
        try await securityHeaders.handle(request, context: context) { _, _ in RequestBodyLimit.refusal(limit: RequestBodyLimit.bytes) }
    }
}

/// The one composition root: the feed pipeline, GitHub client, gate, sessions, pages and routes, exposed so
/// tests can reach the store and the refresher. `newsroom serve` and the tests build the same application from it.
public struct AppParts: Sendable {
    public private(set) var config: AppConfig
    public let pipeline: FeedPipeline
    /// The offline stand-in for GitHub, when `serve` mounted one on the app's own router.
    public let sandbox: GitHubSandbox?
    /// The router, built: middleware and routes.
    let routes: RouterResponder<NewsroomContext>
    /// The background services: the feed refresher and housekeeping (`buildApplication(runsRefresher: false)` runs neither).
    public private(set) var services: [any Service]
    /// What the housekeeping service runs each round, for tests that purge on their own schedule.
    public let housekeeping: Housekeeping
    /// For tests that start a session without the web flow.
    let sessions: SessionManager
    let dependencies: AppDependencies
    let logger: Logger

    public var store: any Store { pipeline.store }
    public var watcher: CatalogWatcher { pipeline.watcher }
    public var refresher: FeedRefresher { pipeline.refresher }

    /// - Parameters:
    ///   - database: `config.databasePath`, opened: by `DatabaseForServing.open()` in `newsroom serve`, by
    ///     `FeedPipeline.openDatabase` in tests.
    ///   - sandbox: served on the app's own router under its prefixes (`OfflineGitHub.sandbox(for:)` made it and
    ///     pointed `config.github` at it).
    public static func make(config: AppConfig, database: OpenedDatabase, dependencies: AppDependencies, sandbox: GitHubSandbox? = nil,
                            logger: Logger) async throws -> AppParts {
        guard config.github != nil else { throw ConfigError.noGitHubApp }
        let pipeline = try await FeedPipeline.make(database: database, feedsPath: config.feedsPath, dependencies: dependencies,
                                                   logger: logger, serving: true)
        return try await web(config: config, pipeline: pipeline, dependencies: dependencies, sandbox: sandbox, logger: logger)
    }

    /// These parts once the server listens on `port`. When the public URL follows the port, the web side (which
    /// bakes the OAuth callback into the GitHub client and the sandbox) is built again for it; the pipeline stays.
    public func listening(on port: Int) async throws -> AppParts {
        var bound = config.listening(on: port)
        guard config.publicURLFollowsBoundPort else {
            var parts = self
            parts.config = bound
            return parts
        }
        if let sandbox { OfflineGitHub.point(sandbox, at: &bound) }
        // The services already given to the server (the listed accounts' resolver among them) keep running: the
        // new gate shares their pins rather than starting empty.
        var parts = try await Self.web(config: bound, pipeline: pipeline, dependencies: dependencies, sandbox: sandbox, logger: logger,
                                       listedAccounts: sessions.gate.listedAccounts)
        parts.services = services
        return parts
    }

    /// The web side on a pipeline: GitHub client, gate, sessions, pages and routes, for the config's public URL.
    private static func web(config: AppConfig, pipeline: FeedPipeline, dependencies: AppDependencies, sandbox: GitHubSandbox?,
                            logger: Logger, listedAccounts: ListedAccounts? = nil) async throws -> AppParts {
        guard let githubSettings = config.github else { throw ConfigError.noGitHubApp }
        // Everything that answers a request waits for the database a bounded time, then answers 503 (never hangs).
        let store = pipeline.store.limitingWaits(to: config.databaseRequestWait)
        let github = try GitHubClient(
            configuration: GitHubConfiguration(
                clientID: githubSettings.clientID, clientSecret: githubSettings.clientSecret,
                authURL: githubSettings.authURL, apiURL: githubSettings.apiURL, redirectURI: config.callbackURL,
                usePKCE: githubSettings.usePKCE, userAgent: Version.userAgent),
            now: dependencies.now, transport: dependencies.http)
        let gate = Gate(rules: config.gate, github: github, logger: logger, listedAccounts: listedAccounts)
        let sessions = SessionManager(store: store, sealer: TokenSealer(secret: config.secretKey), gate: gate, config: config, dependencies: dependencies,
                                      logger: logger, pages: pipeline.pages, cache: pipeline.sessionCache, changes: pipeline.changes)
        let renderer = try await PageRenderer(templatesDirectory: config.resourcesPath + "/templates")
        let views = Views(renderer: renderer)

        let router = Router(context: NewsroomContext.self, options: .autoGenerateHeadEndpoints)
        // Order matters: headers on everything; static files and the sandbox need no session; error pages know the member.
        // First, so request counts and durations cover every answer; only with a metrics listener to read them.
        if config.metricsAddress != nil { router.add(middleware: HTTPMetrics.middleware()) }
        router.add(middleware: SecurityHeadersMiddleware(secureTransport: !config.insecureTransport))
        router.add(middleware: StaticFilesMiddleware(folder: config.resourcesPath + "/static", logger: logger))
        if let sandbox { router.add(middleware: SandboxMount(sandbox: sandbox)) }
        router.add(middleware: SessionMiddleware(sessions: sessions, views: views))
        router.add(middleware: NavigationMiddleware(navigation: pipeline.navigation, store: store, now: dependencies.now))
        router.add(middleware: ErrorPagesMiddleware(views: views, logger: logger))
        HealthRoutes(store: store, watcher: pipeline.watcher).register(on: router)
        SignInRoutes(store: store, sessions: sessions, gate: gate, github: github, views: views, config: config, deps: dependencies, logger: logger,
                     metrics: pipeline.metrics)
            .register(on: router)
        NewsRoutes(store: store, views: views, cache: pipeline.pages, sessions: sessions, gateSummary: config.gate.summary, now: dependencies.now)
            .register(on: router)

        // The idle limit converted as the session manager converts it, so the purge ends exactly what it would end.
        let background = pipeline.store.limitingWaits(to: FeedPipeline.backgroundWait)
        let housekeeping = Housekeeping(store: background, idleTimeout: sessions.seconds(config.idleTimeout), logger: logger,
                                        mayRun: Housekeeping.takingTurns(on: background, logger: logger))
        var services: [any Service] = pipeline.databaseServices + [pipeline.service, HousekeepingService(housekeeping: housekeeping, now: dependencies.now)]
        if !config.gate.users.isEmpty { services.append(ListedAccountsService(accounts: gate.listedAccounts, now: dependencies.now)) }
        return AppParts(config: config, pipeline: pipeline, sandbox: sandbox, routes: router.buildResponder(), services: services,
                        housekeeping: housekeeping, sessions: sessions, dependencies: dependencies, logger: logger)
    }
}

public enum Version {
    public static let number = "0.1.0"
    public static let userAgent = "newsroom/\(number) (+https://github.com/newsroom/newsroom)"
}

import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Curl
import GitHub
import GitHubSandbox
import Pages
import Storage

/// The Hummingbird application around the parts `AppParts.make` composed (the CLI prints its banner in between;
/// tests reach into the parts: store, refresher).
public func buildApplication(parts: AppParts, logger: Logger, runsRefresher: Bool = true) -> some ApplicationProtocol {
    let config = parts.config
    return Application(
        router: parts.router,
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "newsroom"),
        services: runsRefresher ? parts.services : [],
        onServerRunning: { channel in
            logger.info("newsroom is serving \(config.publicURL) (bound to \(channel.localAddress?.description ?? "?"))")
        },
        logger: logger)
}

/// The one composition root: the feed pipeline, GitHub client, gate, sessions, pages and routes, exposed so
/// tests can reach the store and the refresher. `newsroom serve` and the tests build the same application from it.
public struct AppParts {
    public let config: AppConfig
    public let pipeline: FeedPipeline
    /// The offline stand-in for GitHub, when `serve` mounted one on the app's own router.
    public let sandbox: GitHubSandbox?
    public let router: Router<NewsroomContext>
    public let services: [any Service]
    /// For tests that start a session without the web flow.
    let sessions: SessionManager

    public var store: Store { pipeline.store }
    public var watcher: CatalogWatcher { pipeline.watcher }
    public var refresher: FeedRefresher { pipeline.refresher }

    /// - Parameter sandbox: served on the app's own router under its prefixes (`OfflineGitHub.sandbox(for:)`
    ///   made it and pointed `config.github` at it).
    public static func make(config: AppConfig, dependencies: AppDependencies, sandbox: GitHubSandbox? = nil,
                            logger: Logger) async throws -> AppParts {
        guard let githubSettings = config.github else { throw ConfigError.noGitHubApp }
        let pipeline = try FeedPipeline.make(databasePath: config.databasePath, feedsPath: config.feedsPath,
                                             dependencies: dependencies, logger: logger)
        let store = pipeline.store
        let github = try GitHubClient(
            configuration: GitHubConfiguration(
                clientID: githubSettings.clientID, clientSecret: githubSettings.clientSecret,
                authURL: githubSettings.authURL, apiURL: githubSettings.apiURL, redirectURI: config.callbackURL,
                usePKCE: githubSettings.usePKCE, userAgent: Version.userAgent),
            transport: dependencies.http)
        let gate = Gate(rules: config.gate, github: github)
        let sessions = SessionManager(store: store, sealer: TokenSealer(secret: config.secretKey), gate: gate, config: config, dependencies: dependencies)
        let renderer = try await PageRenderer(templatesDirectory: config.resourcesPath + "/templates")
        let views = Views(renderer: renderer)

        let router = Router(context: NewsroomContext.self, options: .autoGenerateHeadEndpoints)
        // Order matters: headers on everything; static files and the sandbox need no session; error pages know the member.
        router.add(middleware: SecurityHeadersMiddleware(secureTransport: !config.insecureTransport))
        router.add(middleware: StaticFilesMiddleware(folder: config.resourcesPath + "/static", logger: logger))
        if let sandbox { router.add(middleware: SandboxMount(sandbox: sandbox)) }
        router.add(middleware: SessionMiddleware(sessions: sessions, views: views))
        router.add(middleware: NavigationMiddleware(navigation: pipeline.navigation, store: store, now: dependencies.now))
        router.add(middleware: ErrorPagesMiddleware(views: views, logger: logger))
        HealthRoutes(store: store, watcher: pipeline.watcher).register(on: router)
        SignInRoutes(store: store, sessions: sessions, gate: gate, github: github, views: views, config: config, deps: dependencies, logger: logger)
            .register(on: router)
        NewsRoutes(store: store, views: views, cache: pipeline.pages, sessions: sessions, gateSummary: config.gate.summary, now: dependencies.now)
            .register(on: router)

        return AppParts(config: config, pipeline: pipeline, sandbox: sandbox, router: router, services: [pipeline.service], sessions: sessions)
    }
}

public enum Version {
    public static let number = "0.1.0"
    public static let userAgent = "newsroom/\(number) (+https://github.com/newsroom/newsroom)"
}

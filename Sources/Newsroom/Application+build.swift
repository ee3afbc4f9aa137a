import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Curl
import Feeds
import GitHub
import GitHubSandbox
import Pages
import Storage

/// The Hummingbird application around the parts `AppParts.make` composed (the CLI prints its banner in between;
/// tests reach into the parts: store, refresher, sandbox).
public func buildApplication(parts: AppParts, logger: Logger) -> some ApplicationProtocol {
    let config = parts.config
    return Application(
        router: parts.router,
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "newsroom"),
        services: parts.services,
        onServerRunning: { channel in
            logger.info("newsroom is serving \(config.publicURL) (bound to \(channel.localAddress?.description ?? "?"))")
        },
        logger: logger)
}

/// The one composition root: storage, catalog, refresher, GitHub client, gate, sessions, pages and routes,
/// exposed so tests can reach the store, the refresher and the sandbox. `newsroom serve` and the tests build
/// the same application from it.
public struct AppParts {
    public let config: AppConfig
    public let store: Store
    public let watcher: CatalogWatcher
    public let refresher: FeedRefresher
    public let sandbox: GitHubSandbox?
    public let router: Router<NewsroomContext>
    public let services: [any Service]

    public static func make(config: AppConfig, dependencies: AppDependencies, logger: Logger) async throws -> AppParts {
        var config = config
        var services: [any Service] = []
        var sandbox: GitHubSandbox?
        if config.useSandbox {
            let (box, service, settings) = try await SandboxLauncher.start(callbackURL: config.callbackURL, logger: logger)
            sandbox = box
            services.append(service)
            config.github = settings
        }
        guard let githubSettings = config.github else { throw ConfigError("no GitHub OAuth app configured") }

        let store = try Store(path: config.databasePath)
        let cache = NewsPageCache()
        let navigation = NavigationCache()
        let watcher = CatalogWatcher(path: config.feedsPath, store: store, now: dependencies.now, logger: logger) {
            cache.invalidateAll()
            navigation.invalidate()
        }
        try watcher.loadInitial()
        let refresher = FeedRefresher(store: store, dependencies: dependencies, logger: logger) { id in cache.invalidate(id) }
        services.append(RefresherService(watcher: watcher, refresher: refresher))

        let github = try GitHubClient(
            configuration: GitHubConfiguration(
                clientID: githubSettings.clientID, clientSecret: githubSettings.clientSecret,
                authURL: githubSettings.authURL, apiURL: githubSettings.apiURL, redirectURI: config.callbackURL,
                usePKCE: githubSettings.usePKCE, userAgent: Version.userAgent),
            transport: dependencies.http)
        let gate = Gate(rules: config.gate, github: github)
        let sessions = SessionManager(store: store, sealer: TokenSealer(secret: config.secretKey), gate: gate, config: config, dependencies: dependencies)
        let renderer = try await PageRenderer(templatesDirectory: config.resourcesPath + "/templates")
        let views = Views(renderer: renderer, store: store, gate: config.gate, now: dependencies.now, navigation: navigation)

        let router = Router(context: NewsroomContext.self, options: .autoGenerateHeadEndpoints)
        // Order matters: headers on everything; static files need no session; error pages know the member.
        router.add(middleware: SecurityHeadersMiddleware(secureTransport: !config.insecureTransport))
        router.add(middleware: StaticFilesMiddleware(folder: config.resourcesPath + "/static", logger: logger))
        router.add(middleware: SessionMiddleware(sessions: sessions, views: views))
        router.add(middleware: ErrorPagesMiddleware(views: views, logger: logger))
        HealthRoutes(store: store, watcher: watcher).register(on: router)
        SignInRoutes(store: store, sessions: sessions, gate: gate, github: github, views: views, config: config, deps: dependencies, logger: logger)
            .register(on: router)
        NewsRoutes(store: store, views: views, cache: cache, sessions: sessions, now: dependencies.now).register(on: router)

        return AppParts(config: config, store: store, watcher: watcher, refresher: refresher, sandbox: sandbox, router: router, services: services)
    }
}

public enum Version {
    public static let number = "0.1.0"
    public static let userAgent = "newsroom/\(number) (+https://github.com/newsroom/newsroom)"
}

import ArgumentParser
import Foundation
import Logging
import Curl
import Newsroom
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the reader (and keep the feeds fresh).")

    @Option(help: "Address to listen on (NEWSROOM_HOST).") var host: String?
    @Option(help: "Port to listen on (NEWSROOM_PORT).") var port: Int?
    @Option(help: "The URL people use, e.g. https://news.example.org (NEWSROOM_PUBLIC_URL; default http://HOST:PORT).") var publicURL: String?
    @Option(help: ArgumentHelp(stringLiteral: DatabaseOption.help)) var database: String?
    @Option(help: "Publications file (NEWSROOM_FEEDS).") var feeds: String?
    @Option(help: "Folder holding templates/ and static/ (NEWSROOM_RESOURCES).") var resources: String?
    @Option(help: "Seconds between membership re-checks (NEWSROOM_MEMBERSHIP_TTL).") var membershipTTL: Int?
    @Option(help: "Seconds a connection may take to send a request, or sit idle, before it is closed (NEWSROOM_CONNECTION_TIMEOUT; default 30).")
    var connectionTimeout: Int?
    @Option(help: "Connections served at once; more wait until one closes (NEWSROOM_MAX_CONNECTIONS; default 512).")
    var maxConnections: Int?
    @Flag(help: "Serve plain http for local use (same as OAUTHLIB_INSECURE_TRANSPORT=1).") var insecureTransport = false
    @Flag(help: "Sign in against the built-in GitHub sandbox (needs --insecure-transport).") var githubSandbox = false
    @Flag(help: "Admit every GitHub user (NEWSROOM_ALLOW_ANY_GITHUB_USER=1).") var allowAnyGithubUser = false
    // Text, not the enum: ArgumentParser quietly treats a value it cannot parse as the bare flag, and a typo of
    // `grant` must be refused, not turned into `token`. ConfigResolver checks it.
    @Option(name: .customLong("revoke-on-logout"), defaultAsFlag: "token", parsing: .next,
            help: ArgumentHelp("At sign-out, revoke the member's GitHub token (bare flag or =token) or the whole grant (=grant) (NEWSROOM_REVOKE_ON_LOGOUT).",
                               valueName: "token|grant"))
    var revokeOnLogout: String? = nil
    @Flag(help: "Do not send PKCE (GitHub Enterprise Server lacks it).") var noPkce = false
    @Option(help: ArgumentHelp("Serve Prometheus metrics at http://HOST:PORT/metrics, on a listener of its own (NEWSROOM_METRICS_ADDRESS; off by default).",
                               valueName: "host:port"))
    var metricsAddress: String?

    func run() async throws {
        CLILogging.setUp()
        var options = ServeOptions()
        options.host = host
        options.port = port
        options.publicURL = publicURL
        options.databasePath = database
        options.feedsPath = feeds
        options.resourcesPath = resources
        options.membershipTTLSeconds = membershipTTL
        options.connectionTimeoutSeconds = connectionTimeout
        options.maxConnections = maxConnections
        options.insecureTransport = insecureTransport
        options.githubSandbox = githubSandbox
        options.allowAnyGitHubUser = allowAnyGithubUser
        options.revokeOnLogout = revokeOnLogout
        options.noPKCE = noPkce
        options.metricsAddress = metricsAddress
        let logger = CLILogging.logger()
        var config: AppConfig
        do { config = try ConfigResolver.resolve(options, environment: ProcessInfo.processInfo.environment) } catch {
            CLILogging.fail("newsroom: \(error)")
        }
        // The offline trial: serve starts GitHub's stand-in, on the app's own router.
        let sandbox = config.useSandbox ? OfflineGitHub.sandbox(for: &config) : nil
        let client = CurlClient(userAgent: Version.userAgent)
        let database: DatabaseForServing
        do { database = try FeedPipeline.databaseForServing(config.databasePath, busyTimeout: config.databaseBusyTimeout, logger: logger) } catch {
            CLILogging.fail("newsroom: \(error)")
        }
        let settings = config
        let application = StartThenServe {
            let parts = try await AppParts.make(config: settings, database: try await database.open(),
                                                dependencies: try .live(client: client, environment: ProcessInfo.processInfo.environment),
                                                sandbox: sandbox, logger: logger)
            // Said once the server listens, so the addresses it names are the real ones (port 0 binds any free port).
            return buildApplication(parts: parts, logger: logger, onServerRunning: { serving in
                for line in Banner.lines(for: serving) { CLILogging.say(line) }
            })
        }
        // The database's connections (PostgreSQL's client) first: ServiceLifecycle stops services in reverse order,
        // so they close only after the web server and the refresher stopped.
        let group = ServiceGroup(configuration: .init(services: database.services + [application],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do { try await group.run() } catch let failure as StartupFailure {
            CLILogging.fail("newsroom: \(failure)")
        }
    }
}

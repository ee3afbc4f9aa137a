import Foundation
import TestSupport
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Logging
import ServiceLifecycle
import Testing
import Curl
import GitHub
import GitHubSandbox
import Storage
@_exported import StorageTestSupport
// @testable only for `AppConfig.GitHubSettings.init`, which Newsroom does not make public.
@testable import Newsroom

/// A running newsroom wired to a running GitHub sandbox, with an injected clock, a capturing logger and
/// cookie-keeping browsers: the real app from `AppParts.make` over a real SQLite file. Every run ends by
/// scanning logs and pages for leaked secrets.
public struct AppHarness: Sendable {
    public enum Mode: Sendable {
        /// Requests go straight into the router (no socket): the default, for everything but the socket itself.
        /// `publicURL` may be https, so Secure cookies can be tested.
        case router(publicURL: String = "http://newsroom.test")
        /// The app listens on a real loopback socket (port 0: the kernel picks, the harness reads it back); the
        /// browser sends the public URL's requests (`http://newsroom.test`, insecure transport) to that socket.
        case live
    }

    public let sandbox: GitHubSandbox
    public let store: any Store
    public let config: AppConfig
    /// The loopback port the app listens on, in `.live` mode.
    public let port: Int?
    public let clock: TestClock
    public let logs: LogCapture
    public let observed: Observed
    public let browserCurl: CurlClient
    public let sendToApp: AppSender
    /// The app's own refresher (its change callback drops cached pages), for tests that fetch feeds.
    public let refresher: FeedRefresher
    /// The app's feeds.json watcher.
    public let watcher: CatalogWatcher
    /// The app's sessions, for starting one without the web flow (`signedIn(as:)`).
    let sessions: SessionManager
    /// The app's purge of ended sessions and expired login attempts (its service is off in tests: they run it).
    public let housekeeping: Housekeeping

    /// 2026-05-28T20:26:40Z, where the app's clock starts (page tests compare dates against it).
    public static let clockStart = Date(timeIntervalSince1970: 1_780_000_000)

    public var clientSecret: String { sandbox.demoClientSecret }
    public var appOrigin: String { config.publicURL }
    public var sessionCookie: String { config.cookiesAreSecure ? "__Host-newsroom-session" : "newsroom-session" }
    public var loginCookie: String { config.cookiesAreSecure ? "__Host-newsroom-login" : "newsroom-login" }

    public func browser() -> Browser {
        Browser(appOrigin: appOrigin, sendToApp: sendToApp, curl: browserCurl, observed: observed)
    }

    /// feeds.json with one publication `demo` served by the sandbox.
    public static func demoCatalog(sandboxOrigin: String) -> String {
        #"{"publications": [{"id": "demo", "name": "Demo", "url": "\#(sandboxOrigin)/feeds/demo.xml"}]}"#
    }

    /// Runs `body` against a fresh app and sandbox.
    /// - Parameters:
    ///   - catalog: feeds.json's text, given the sandbox's origin (default: `demoCatalog`).
    ///   - runsRefresher: whether the background refresher service runs (off by default: tests drive
    ///     `refresher` themselves, so nothing fetches behind their back).
    public static func run<T: Sendable>(
        gate: GateRules = GateRules(org: "acme"), mode: Mode = .router(),
        catalog: @escaping @Sendable (_ sandboxOrigin: String) -> String = AppHarness.demoCatalog,
        runsRefresher: Bool = false,
        engine: StorageEngine = .sqlite,
        configure: @Sendable (inout AppConfig) -> Void = { _ in },
        _ body: @Sendable (AppHarness) async throws -> T
    ) async throws -> T {
        try await runOnce(gate: gate, mode: mode, catalog: catalog, runsRefresher: runsRefresher, engine: engine, configure: configure, body)
    }

    public struct AppDidNotStart: Error { public var reason: String }

    private static func runOnce<T: Sendable>(
        gate: GateRules, mode: Mode, catalog: @escaping @Sendable (String) -> String, runsRefresher: Bool,
        engine: StorageEngine, configure: @Sendable (inout AppConfig) -> Void,
        _ body: @Sendable (AppHarness) async throws -> T
    ) async throws -> T {
        let publicURL: String
        switch mode {
        case .live: publicURL = "http://newsroom.test"
        case .router(let url): publicURL = url
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("newsroom-app-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        // An SQLite file in the folder, or a new database on the test run's PostgreSQL server.
        let database = engine == .postgres ? try await StorageEngine.makePostgresDatabaseURL() : folder + "/newsroom.sqlite"
        let sandbox = GitHubSandbox.demo(callbackURL: publicURL + "/login/github/authorized")
        return try await sandbox.withRunningServer { sandbox in
            let feeds = folder + "/feeds.json"
            try Data(catalog(sandbox.origin!).utf8).write(to: URL(fileURLWithPath: feeds))
            var config = AppConfig(
                host: "127.0.0.1", port: 0, publicURL: publicURL, databasePath: database, feedsPath: feeds,
                insecureTransport: publicURL.hasPrefix("http://"),
                github: .init(clientID: GitHubSandbox.demoClientID, clientSecret: sandbox.demoClientSecret,
                              authURL: sandbox.authURL!, apiURL: sandbox.apiURL!, usePKCE: true),
                gate: gate, secretKey: Array(repeating: 7, count: 32), resourcesPath: resourcesPath)
            // Tests sign in many times from one address (router mode has none at all): the sign-in rate limit is
            // for the tests about it, which set `.default` back.
            config.signInLimits = .init(burst: 1_000_000, refillPerSecond: 1_000, maxClients: 100)
            // The parallel suite loads both cores: a request's database call can wait past the 250 ms bound for CPU
            // alone. Tests about the bound set it back; a deliberately held lock still fails writes in 0.25 s.
            config.databaseRequestWait = .seconds(5)
            config.databaseBusyTimeout = 0.25
            configure(&config)

            let clock = TestClock(AppHarness.clockStart)
            let logs = LogCapture()
            let logger = logs.logger()
            let appCurl = CurlClient()
            let browserCurl = CurlClient()
            defer { appCurl.shutdown(); browserCurl.shutdown() }
            let dependencies = AppDependencies(
                now: { clock.now }, jitter: { 0.5 },
                randomBytes: { count in
                    var rng = SystemRandomNumberGenerator()
                    return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
                },
                http: { request throws(CurlError) in try await appCurl.send(request) })
            // Opened as a command opens it, PostgreSQL's client in a task of the store's: the app never stops it, so
            // the harness closes it once the app is done.
            let database = try await FeedPipeline.openDatabase(config.databasePath, busyTimeout: config.databaseBusyTimeout, logger: logger)
            let parts = try await AppParts.make(config: config, database: database, dependencies: dependencies, logger: logger)
            defer { Task { [pipeline = parts.pipeline] in await pipeline.close() } }
            let (store, appConfig, refresher, watcher, sessions) = (parts.store, parts.config, parts.refresher, parts.watcher, parts.sessions)
            let housekeeping = parts.housekeeping
            let observed = Observed()
            observed.noteSecret(sandbox.demoClientSecret)
            @Sendable func harness(_ sendToApp: @escaping AppSender, port: Int? = nil) -> AppHarness {
                AppHarness(sandbox: sandbox, store: store, config: appConfig, port: port, clock: clock, logs: logs, observed: observed,
                           browserCurl: browserCurl, sendToApp: sendToApp, refresher: refresher, watcher: watcher, sessions: sessions,
                           housekeeping: housekeeping)
            }

            switch mode {
            case .router:
                let app = buildApplication(parts: parts, logger: logger, runsRefresher: runsRefresher)
                return try await app.test(.router) { client in
                    let harness = harness(routerSender(client))
                    let value = try await body(harness)
                    harness.expectNoLeaks()
                    return value
                }
            case .live:
                let (ports, portReported) = AsyncStream.makeStream(of: Int.self)
                let app = buildApplication(parts: parts, logger: logger, runsRefresher: runsRefresher,
                                           onServerRunning: { serving in portReported.yield(serving.config.port); portReported.finish() })
                let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
                return try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask {
                        defer { portReported.finish() }
                        try await group.run()
                    }
                    defer { tasks.cancelAll() }
                    var reported = ports.makeAsyncIterator()
                    guard let port = await reported.next() else {
                        try await tasks.waitForAll()
                        throw AppDidNotStart(reason: "the app stopped before it listened")
                    }
                    let harness = harness(liveSender(origin: "http://127.0.0.1:\(port)", curl: browserCurl), port: port)
                    let result: Result<T, any Error>
                    do { result = .success(try await body(harness)) } catch { result = .failure(error) }
                    harness.expectNoLeaks()
                    await group.triggerGracefulShutdown()
                    try await tasks.waitForAll()
                    return try result.get()
                }
            }
        }
    }

    /// Tokens, the client secret, codes, states, cookies and CSRF tokens never reach a log line; tokens, the
    /// secret, codes and session ids never reach a page body.
    public func expectNoLeaks() {
        let logText = logs.allText
        #expect(!logText.contains("gho_"), "a GitHub token was logged")
        #expect(!logText.contains("gh" + "r_"), "a refresh token was logged")
        #expect(!logText.contains(clientSecret), "the client secret was logged")
        let secrets = observed.secrets
        for secret in secrets where logText.contains(secret) {
            Issue.record("a code, state, cookie or CSRF token was logged: \(logs.lines.first { $0.text.contains(secret) }?.level.rawValue ?? "")")
        }
        let sessionIDs = Set(observed.pages.flatMap { page in
            page.setCookies.compactMap { line -> String? in
                guard line.hasPrefix(sessionCookie + "=") else { return nil }
                let value = line.dropFirst(sessionCookie.count + 1).prefix { $0 != ";" }
                return value.isEmpty ? nil : String(value)
            }
        })
        for page in observed.pages {
            #expect(!page.body.contains("gho_"), "a GitHub token reached a page")
            #expect(!page.body.contains(clientSecret), "the client secret reached a page")
            for id in sessionIDs { #expect(!page.body.contains(id), "a session id reached a page") }
        }
    }

    /// The repository's Resources folder, found from this file.
    public static var resourcesPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Resources").path
    }

    public static func liveSender(origin: String, curl: CurlClient) -> AppSender {
        { method, path, headers, body in
            let response = try await curl.send(Curl.CurlRequest(method: method, url: origin + path, headers: headers, body: body,
                                                           totalTimeout: .seconds(20), maxRedirects: 0))
            return Page(status: response.status, headers: response.headers, body: String(decoding: response.body, as: UTF8.self))
        }
    }

    public static func routerSender(_ client: some TestClientProtocol) -> AppSender {
        { method, path, headers, body in
            var fields = HTTPFields()
            for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
            let response = try await client.executeRequest(
                uri: path, method: HTTPTypes.HTTPRequest.Method(method)!, headers: fields, body: body.map { ByteBuffer(bytes: $0) })
            return Page(status: response.status.code, headers: response.headers.map { ($0.name.rawName, $0.value) },
                        body: String(buffer: response.body))
        }
    }
}

extension AppHarness {
    /// A GitHub client configured like the app's, for checks below the web layer.
    public func githubClient() async throws -> GitHubClient {
        let settings = config.github!
        return try GitHubClient(configuration: GitHubConfiguration(
            clientID: settings.clientID, clientSecret: settings.clientSecret, authURL: settings.authURL, apiURL: settings.apiURL,
            redirectURI: config.callbackURL, usePKCE: settings.usePKCE, userAgent: Version.userAgent),
            transport: { request throws(CurlError) in try await browserCurl.send(request) })
    }
}

extension AppHarness {
    /// A browser holding a fresh session for `login`, started the way the OAuth callback starts one (a real
    /// token from the sandbox, the app's own `SessionManager.start`), without walking the web flow: for tests
    /// that are about what a member sees, not about signing in. The "Signed in as" flash is already taken.
    public func signedIn(as login: String = "octocat", admittedBy: String = "member of acme") async throws -> Browser {
        let token = try #require(sandbox.grantToken(to: login), "no sandbox user \(login)")
        let user = try await githubClient().user(token: token)
        let cookie = try await sessions.start(user: user, token: AccessToken(token: token, scopes: ["read:org"]),
                                        admittedBy: admittedBy, replacing: nil)
        let browser = browser()
        browser.setCookie(cookie.name, cookie.value)
        observed.noteSecret(cookie.value)
        _ = try await browser.get("/me")
        return browser
    }
}

extension AppHarness {
    /// Runs SQL on the app's database file from a separate `sqlite3` process, as an operator or another
    /// program would (to break or inspect the database under the running app).
    public func sqlite(_ sql: String) async throws -> String {
        let run = try ChildProcess.run("/usr/bin/sqlite3", ["-cmd", ".timeout 5000", config.databasePath, sql], mergingErrors: true)
        let text = String(decoding: run.output, as: UTF8.self)
        try #require(run.status == 0, "sqlite3 failed: \(text)")
        return text
    }
}

extension AppHarness {
    /// Runs `body` while a separate `sqlite3` process holds the database's write lock (`BEGIN IMMEDIATE`, as a
    /// stuck writer or an operator's open transaction would). The lock is released and the process gone when it returns.
    public func whileAnotherProcessHoldsTheWriteLock<T>(_ body: () async throws -> T) async throws -> T {
        // -bail: any error ends the shell, so waiting for its output below cannot hang on a shell that failed.
        let process = try ChildProcess("/usr/bin/sqlite3", ["-bail", "-cmd", ".timeout 5000", config.databasePath],
                                       input: .pipe, output: .pipe, error: .sameAsOutput)
        let input = process.standardInput!, output = process.standardOutput!
        // Closing its input ends the shell, which rolls the open transaction back.
        defer {
            try? input.close()
            process.wait()
        }
        input.write(Data("BEGIN IMMEDIATE;\nSELECT 'locked';\n".utf8))
        // The shell answers the SELECT only once BEGIN IMMEDIATE holds the lock: that answer is the event to wait for.
        var text = ""
        while !text.contains("locked") {
            let chunk = output.availableData
            try #require(!chunk.isEmpty, "sqlite3 ended before it held the write lock: \(text)")
            text += String(decoding: chunk, as: UTF8.self)
        }
        return try await body()
    }
}

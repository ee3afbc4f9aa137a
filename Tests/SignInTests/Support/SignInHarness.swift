#if canImport(Glibc)
import Glibc
#endif
import Foundation
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
@testable import Newsroom

/// A running newsroom wired to a running GitHub sandbox, with an injected clock, a capturing logger and
/// cookie-keeping browsers. Every run ends by scanning logs and pages for leaked secrets.
struct SignInHarness: Sendable {
    enum Mode: Sendable {
        /// The app listens on a real loopback port; publicURL is `http://127.0.0.1:PORT` with insecure transport.
        case live
        /// Requests go straight into the router (no TLS here), so an https publicURL with Secure cookies can be tested.
        case router(publicURL: String)
    }

    let sandbox: GitHubSandbox
    let store: Store
    let config: AppConfig
    let clock: TestClock
    let logs: LogCapture
    let observed: Observed
    let browserCurl: CurlClient
    let sendToApp: AppSender

    var clientSecret: String { sandbox.demoClientSecret }
    var appOrigin: String { config.publicURL }
    var sessionCookie: String { config.cookiesAreSecure ? "__Host-newsroom-session" : "newsroom-session" }
    var loginCookie: String { config.cookiesAreSecure ? "__Host-newsroom-login" : "newsroom-login" }

    func browser() -> Browser {
        Browser(appOrigin: appOrigin, sendToApp: sendToApp, curl: browserCurl, observed: observed)
    }

    /// The stored session behind a browser's cookie (nil when there is none).
    func storedSession(of browser: Browser) throws -> SessionRecord? {
        guard let id = browser.cookie(sessionCookie) else { return nil }
        return try store.session(idHash: Opaque.hash(id))
    }

    static func run<T: Sendable>(
        gate: GateRules = GateRules(org: "acme"), mode: Mode = .live,
        configure: @Sendable (inout AppConfig) -> Void = { _ in },
        _ body: @Sendable (SignInHarness) async throws -> T
    ) async throws -> T {
        // A port picked in advance can be taken by someone else before the app binds it: try another.
        for attempt in 1...3 {
            do {
                return try await runOnce(gate: gate, mode: mode, configure: configure, body)
            } catch is AppDidNotStart where attempt < 3 {
                continue
            }
        }
        throw AppDidNotStart(reason: "no free port")
    }

    struct AppDidNotStart: Error { var reason: String }

    private static func runOnce<T: Sendable>(
        gate: GateRules, mode: Mode, configure: @Sendable (inout AppConfig) -> Void,
        _ body: @Sendable (SignInHarness) async throws -> T
    ) async throws -> T {
        let port: Int
        let publicURL: String
        switch mode {
        case .live:
            port = try freeLoopbackPort()
            publicURL = "http://127.0.0.1:\(port)"
        case .router(let url):
            port = 0
            publicURL = url
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("signin-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        let sandbox = GitHubSandbox.demo(callbackURL: publicURL + "/login/github/authorized")
        return try await sandbox.withRunningServer { sandbox in
            let feeds = folder + "/feeds.json"
            try Data(#"{"publications": [{"id": "demo", "name": "Demo", "url": "\#(sandbox.origin!)/feeds/demo.xml"}]}"#.utf8)
                .write(to: URL(fileURLWithPath: feeds))
            var config = AppConfig(
                host: "127.0.0.1", port: port, publicURL: publicURL, databasePath: folder + "/newsroom.sqlite", feedsPath: feeds,
                insecureTransport: publicURL.hasPrefix("http://"),
                github: .init(clientID: GitHubSandbox.demoClientID, clientSecret: sandbox.demoClientSecret,
                              authURL: sandbox.authURL!, apiURL: sandbox.apiURL!, usePKCE: true),
                gate: gate, secretKey: Array(repeating: 7, count: 32), resourcesPath: resourcesPath)
            configure(&config)

            let clock = TestClock()
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
            let parts = try await AppParts.make(config: config, dependencies: dependencies, logger: logger)
            let app = application(from: parts, logger: logger)
            let (store, appConfig) = (parts.store, parts.config)
            let observed = Observed()
            observed.noteSecret(sandbox.demoClientSecret)

            switch mode {
            case .router:
                return try await app.test(.router) { client in
                    let harness = SignInHarness(
                        sandbox: sandbox, store: store, config: appConfig, clock: clock, logs: logs, observed: observed, browserCurl: browserCurl,
                        sendToApp: routerSender(client))
                    let value = try await body(harness)
                    harness.expectNoLeaks()
                    return value
                }
            case .live:
                let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
                return try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask {
                        do { try await group.run() } catch { logs.fail(AppDidNotStart(reason: "\(error)")) }
                        logs.fail(AppDidNotStart(reason: "the app stopped"))
                    }
                    defer { tasks.cancelAll() }
                    try await logs.waitForLine(startingWith: "newsroom is serving")
                    let harness = SignInHarness(
                        sandbox: sandbox, store: store, config: appConfig, clock: clock, logs: logs, observed: observed, browserCurl: browserCurl,
                        sendToApp: liveSender(origin: "http://127.0.0.1:\(port)", curl: browserCurl))
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
    func expectNoLeaks() {
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
    static var resourcesPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Resources").path
    }

    static func liveSender(origin: String, curl: CurlClient) -> AppSender {
        { method, path, headers, body in
            let response = try await curl.send(Curl.HTTPRequest(method: method, url: origin + path, headers: headers, body: body,
                                                           totalTimeout: .seconds(20), maxRedirects: 0))
            return Page(status: response.status, headers: response.headers, body: String(decoding: response.body, as: UTF8.self))
        }
    }

    static func routerSender(_ client: some TestClientProtocol) -> AppSender {
        { method, path, headers, body in
            var fields = HTTPFields()
            for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
            let response = try await client.executeRequest(
                uri: path, method: HTTPTypes.HTTPRequest.Method(method)!, headers: fields, body: body.map { ByteBuffer(bytes: $0) })
            return Page(status: response.status.code, headers: response.headers.map { ($0.name.rawName, $0.value) },
                        body: String(buffer: response.body))
        }
    }

    /// Binds port 0 on loopback, reads the port the kernel chose, and closes the socket.
    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw AppDidNotStart(reason: "socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw AppDidNotStart(reason: "bind failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw AppDidNotStart(reason: "getsockname failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

extension SignInHarness {
    /// A GitHub client configured like the app's, for checks below the web layer.
    func githubClient() throws -> GitHubClient {
        let settings = config.github!
        return try GitHubClient(configuration: GitHubConfiguration(
            clientID: settings.clientID, clientSecret: settings.clientSecret, authURL: settings.authURL, apiURL: settings.apiURL,
            redirectURI: config.callbackURL, usePKCE: settings.usePKCE, userAgent: Version.userAgent),
            transport: { request throws(CurlError) in try await browserCurl.send(request) })
    }
}

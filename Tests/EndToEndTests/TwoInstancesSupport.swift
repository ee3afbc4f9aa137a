import Foundation
import Synchronization
import Curl
import PostgresStorage
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

// What the two-instance test drives: feed servers that count what they are asked, `newsroom serve` processes on
// one PostgreSQL database, a browser-like client whose cookies go to every port of 127.0.0.1 (as a browser's do),
// and a look into the shared database.

/// Publications `pub-01` … `pub-NN`, each with its own RSS document of `itemsPerFeed` stories, spread over several
/// loopback servers so that the HTTP client's two-transfers-per-host cap does not turn a round into a queue.
/// Every request is recorded with when it arrived and when its answer was ready. A publication may be *held*:
/// its answer waits until `release()` (or 25 s, within curl's 30 s), so a fetch of it stays in flight.
final class FeedFarm: Sendable {
    struct Feed: Sendable {
        var id: String
        var name: String
        var path: String
        var server: Int
        var held: Bool
    }

    struct Arrival: Sendable {
        var path: String
        var arrivedAt: Date
        var answeredAt: Date?
    }

    private struct State {
        var arrivals: [Arrival] = []
        var holding = true
    }

    /// Shared by the servers' handlers (a Mutex cannot be captured by an escaping closure).
    private final class Shared: Sendable {
        let state = Mutex(State())
    }

    let feeds: [Feed]
    let itemsPerFeed: Int
    private let servers: [LoopbackHTTPServer]
    private let shared: Shared

    /// - Parameters:
    ///   - groups: per server group, how many publications and whether their answers are held; each group gets
    ///     `serversPerGroup` servers, its publications dealt over them in turn.
    ///   - delay: how long every answer takes (held ones: after their release).
    init(groups: [(count: Int, held: Bool, servers: Int)], itemsPerFeed: Int, delay: Duration) throws {
        let shared = Shared()
        var feeds: [Feed] = []
        var serverCount = 0
        for group in groups {
            for index in 0..<group.count {
                let number = feeds.count + 1
                let id = String(format: "pub-%02d", number)
                feeds.append(Feed(id: id, name: "Publication \(number)", path: "/\(id).xml",
                                  server: serverCount + index % group.servers, held: group.held))
            }
            serverCount += group.servers
        }
        var documents: [String: [UInt8]] = [:]
        for (index, feed) in feeds.enumerated() { documents[feed.path] = Self.rss(number: index + 1, items: itemsPerFeed) }
        let heldPaths = Set(feeds.filter(\.held).map(\.path))
        let delaySeconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        var servers: [LoopbackHTTPServer] = []
        for server in 0..<serverCount {
            let mine = Dictionary(uniqueKeysWithValues: feeds.filter { $0.server == server }.map { ($0.path, documents[$0.path]!) })
            // The handler runs on the connection's own thread: waiting in it holds only that connection.
            servers.append(try LoopbackHTTPServer { request in
                let path = request.pathWithoutQuery
                let arrival = shared.state.withLock { state in
                    state.arrivals.append(Arrival(path: path, arrivedAt: Date()))
                    return state.arrivals.count - 1
                }
                if heldPaths.contains(path) {
                    let giveUp = Date().addingTimeInterval(25)
                    while shared.state.withLock({ $0.holding }) && Date() < giveUp { usleep(20_000) }
                }
                if delaySeconds > 0 { usleep(UInt32(delaySeconds * 1_000_000)) }
                shared.state.withLock { $0.arrivals[arrival].answeredAt = Date() }
                guard request.method == "GET", let body = mine[path] else { return .text("not found", status: 404) }
                return ScriptedResponse(status: 200, headers: [(name: "Content-Type", value: "application/rss+xml; charset=utf-8")], body: body)
            })
        }
        self.feeds = feeds
        self.itemsPerFeed = itemsPerFeed
        self.servers = servers
        self.shared = shared
    }

    func stop() { servers.forEach { $0.stop() } }

    func url(of feed: Feed) -> String { servers[feed.server].baseURL + feed.path }

    /// feeds.json for these publications.
    func catalog(refreshMinutes: Int) -> String {
        let entries = feeds.map { #"    {"id": "\#($0.id)", "name": "\#($0.name)", "url": "\#(url(of: $0))"}"# }
        return "{\"refreshMinutes\": \(refreshMinutes), \"publications\": [\n" + entries.joined(separator: ",\n") + "\n]}\n"
    }

    var arrivals: [Arrival] { shared.state.withLock { $0.arrivals } }

    /// Requests whose answer is not ready yet: fetches in flight.
    var inFlight: [Arrival] { arrivals.filter { $0.answeredAt == nil } }

    func requests(of feed: Feed, since: Date = .distantPast) -> [Arrival] {
        arrivals.filter { $0.path == feed.path && $0.arrivedAt >= since }
    }

    /// Lets every held answer go (and answers later requests of held publications at once).
    func release() { shared.state.withLock { $0.holding = false } }

    func title(number: Int, story: Int) -> String { "Story \(story) of publication \(number)" }

    /// A small valid RSS 2.0 document: stories with a title, link, guid, summary and date each.
    static func rss(number: Int, items: Int) -> [UInt8] {
        var text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel>
            <title>Publication \(number)</title><link>https://example.org/p\(number)/</link><description>Test feed \(number)</description>

            """
        for story in 1...items {
            text += """
                <item><title>Story \(story) of publication \(number)</title><link>https://example.org/p\(number)/\(story)</link>\
                <guid isPermaLink="false">p\(number)-story-\(story)</guid><description>What happened in story \(story).</description>\
                <pubDate>Wed, 01 Jan 2025 \(String(format: "%02d", story % 24)):00:00 GMT</pubDate></item>

                """
        }
        text += "</channel></rss>\n"
        return Array(text.utf8)
    }
}

/// One `newsroom serve` on the shared database, on a port of its own choosing, logging to a file.
final class ServeInstance: Sendable {
    let name: String
    let process: ChildProcess
    let log: URL

    struct Settings: Sendable {
        var databaseURL: String
        var feedsPath: String
        var githubAuthURL: String
        var githubAPIURL: String
        var clientID: String
        var clientSecret: String
        var secretKey: String
        var extraEnvironment: [String: String] = [:]
    }

    /// Starts the process (`waitUntilReady` says where it serves).
    init(_ name: String, in folder: URL, _ settings: Settings) throws {
        var environment = ProcessInfo.processInfo.environment
        // Nothing of the caller's own newsroom or GitHub settings may leak in.
        for key in environment.keys where key.hasPrefix("NEWSROOM_") || key.hasPrefix("GITHUB_") || key.hasPrefix("APP_SECRET_KEY")
            || ["DATABASE_URL", "LOG_FORMAT", "LOG_LEVEL", "OAUTHLIB_INSECURE_TRANSPORT"].contains(key) {
            environment[key] = nil
        }
        environment["DATABASE_URL"] = settings.databaseURL
        environment["APP_SECRET_KEY"] = settings.secretKey
        environment["GITHUB_CLIENT_ID"] = settings.clientID
        environment["GITHUB_CLIENT_SECRET"] = settings.clientSecret
        environment["GITHUB_AUTH_URL"] = settings.githubAuthURL
        environment["GITHUB_BASE_URL"] = settings.githubAPIURL
        environment["GITHUB_ORG"] = "acme"
        environment["NEWSROOM_ALLOW_PRIVATE_FEEDS"] = "1"
        for (key, value) in settings.extraEnvironment { environment[key] = value }
        let log = folder.appendingPathComponent("\(name).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        self.name = name
        self.log = log
        process = try ChildProcess(E2E.newsroomBinary!, [
            "serve", "--insecure-transport", "--port", "0", "--feeds", settings.feedsPath,
            "--resources", E2E.repoRoot.appendingPathComponent("Resources").path,
        ], environment: environment, directory: folder.path, output: .file(log.path), error: .sameAsOutput)
    }

    /// Waits until the process says where it serves and answers /readyz; its origin, `http://127.0.0.1:PORT`.
    func waitUntilReady(http: CurlClient) async throws -> String {
        let origin = try await E2E.waitForLine(in: log, matching: /newsroom is serving (http:\/\/127\.0\.0\.1:[0-9]+)\s/)
        try await E2E.waitUntilReady(origin + "/readyz", http: http)
        return origin
    }

    /// SIGTERM (then SIGKILL after 2 s); nothing if it already ended.
    func stop() { process.stop() }

    /// SIGKILL at once, as a machine that dies: no graceful shutdown, leases and transfers left as they were.
    func kill() {
        process.signal(SIGKILL)
        process.wait()
    }

    func logTail(characters: Int = 4000) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? "(no log)"
        return "--- \(name) (\(log.lastPathComponent)), last \(characters) characters:\n" + String(text.suffix(characters))
    }
}

/// A browser as far as the test needs one: no redirects followed, and one cookie jar for 127.0.0.1 whatever the
/// port (browsers do not separate cookies by port), so a cookie set by instance A goes to instance B too.
/// The GitHub stand-in gets no cookies.
final class CookieBrowser: Sendable {
    struct Answer: Sendable {
        var status: Int
        var location: String?
        var setCookies: [String]
        var body: String
    }

    let http: CurlClient
    private let jar = Mutex<[String: String]>([:])
    private let cookieOrigins: [String]

    init(http: CurlClient, cookieOrigins: [String]) {
        self.http = http
        self.cookieOrigins = cookieOrigins
    }

    func cookie(_ name: String) -> String? { jar.withLock { $0[name] } }
    func setCookie(_ name: String, _ value: String?) { jar.withLock { $0[name] = value } }

    func get(_ url: String) async throws -> Answer { try await send("GET", url, form: nil) }

    func post(_ url: String, form: [(String, String)]) async throws -> Answer { try await send("POST", url, form: form) }

    private func send(_ method: String, _ url: String, form: [(String, String)]?) async throws -> Answer {
        var headers: [(name: String, value: String)] = []
        let sendsCookies = cookieOrigins.contains { url.hasPrefix($0 + "/") }
        if sendsCookies {
            let cookies = jar.withLock { $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
            if !cookies.isEmpty { headers.append((name: "Cookie", value: cookies)) }
        }
        var body: [UInt8]?
        if let form {
            headers.append((name: "Content-Type", value: "application/x-www-form-urlencoded"))
            body = Array(Self.formEncode(form).utf8)
        }
        let response = try await http.send(CurlRequest(method: method, url: url, headers: headers, body: body,
                                                       totalTimeout: .seconds(20), maxRedirects: 0))
        let setCookies = response.headers.filter { $0.name.lowercased() == "set-cookie" }.map(\.value)
        if sendsCookies { absorb(setCookies) }
        return Answer(status: response.status, location: response.header("Location"), setCookies: setCookies,
                      body: String(decoding: response.body, as: UTF8.self))
    }

    private func absorb(_ lines: [String]) {
        for line in lines {
            let parts = line.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let pair = parts.first, let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]), value = String(pair[pair.index(after: equals)...])
            let expired = value.isEmpty || parts.dropFirst().contains { $0.lowercased() == "max-age=0" }
            jar.withLock { $0[name] = expired ? nil : value }
        }
    }

    static func formEncode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return pairs.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }
}

/// What the shared database says, read through the test's own connection.
struct SharedDatabase: Sendable {
    let store: PostgresStore
    /// The database's URL, as the instances get it in DATABASE_URL.
    let url: String

    struct FeedRow: Sendable {
        var id: String
        var fetched: Bool
        var articles: Int
        var leaseUntil: Date?
    }

    func feeds() async throws -> [String: FeedRow] {
        let rows = try await store.textRows(unsafeSQL: """
            SELECT p.id, (p.lastSuccessAt IS NOT NULL)::text,
                   (SELECT count(*) FROM articles a WHERE a.publicationID = p.id)::text, p.leaseUntil::text
            FROM publications p ORDER BY p.id
            """)
        var feeds: [String: FeedRow] = [:]
        for row in rows {
            let id = row[0] ?? ""
            feeds[id] = FeedRow(id: id, fetched: row[1] == "true", articles: Int(row[2] ?? "") ?? -1,
                                leaseUntil: row[3].flatMap(Double.init).map { Date(timeIntervalSince1970: $0) })
        }
        return feeds
    }

    /// (publication, dedupe key, count) of every article stored more than once.
    func duplicateArticles() async throws -> [[String?]] {
        try await store.textRows(unsafeSQL: """
            SELECT publicationID, dedupeKey, count(*)::text FROM articles GROUP BY 1, 2 HAVING count(*) > 1
            """)
    }

    func articleTitles(of id: String) async throws -> [String] {
        // Constant SQL only (nothing is bound): the id is one of the test's own slugs.
        precondition(id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" })
        return try await store.textRows(unsafeSQL: "SELECT title FROM articles WHERE publicationID = '\(id)' ORDER BY title")
            .map { $0[0] ?? "" }
    }
}

/// Polls `condition` every `interval` until it holds or `timeout` passes; whether it held.
func pollUntil(timeout: Duration, interval: Duration = .milliseconds(100), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        if try await condition() { return true }
        if clock.now >= deadline { return false }
        try? await Task.sleep(for: interval)
    }
}

import Foundation
import Testing
import Curl
import TestSupport

/// The operator's side of the binary, run as an operator would: `serve` with metrics and JSON logs, `backup`,
/// and `fetch` on a terminal, in a pipe and as JSON.
@Suite(.enabled(if: E2E.newsroomBinary != nil, "needs the newsroom binary that swift test builds"))
struct OperationsTests {
    struct Run { var status: Int32; var out: String; var err: String }
    static let secretKey = String(repeating: "k", count: 40)

    func newsroom(_ arguments: [String], in folder: URL, environment extra: [String: String] = [:]) async throws -> Run {
        var environment = ProcessInfo.processInfo.environment
        for name in ["LOG_FORMAT", "NEWSROOM_METRICS_ADDRESS", "NEWSROOM_DATABASE"] { environment[name] = nil }
        for (name, value) in extra { environment[name] = value }
        let run = try await ChildProcess.runOffThePool(E2E.newsroomBinary!, arguments, environment: environment, directory: folder.path)
        return Run(status: run.status, out: String(decoding: run.output, as: UTF8.self), err: String(decoding: run.error, as: UTF8.self))
    }

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("newsroom-ops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A loopback feed server with BBC's fixture at /bbc.xml (and nothing at /missing.xml), and feeds.json naming both.
    func feedsWithOneFailing(in folder: URL) throws -> LoopbackHTTPServer {
        let feeds = try LoopbackHTTPServer.serving(files: [
            "/bbc.xml": ServedFile(contentType: "application/rss+xml",
                                   bytes: Array(try Data(contentsOf: E2E.realFeeds.appendingPathComponent("bbc-news-front-page.xml")))),
        ])
        let catalog = """
            {"publications": [{"id": "bbc", "name": "BBC News", "url": "\(feeds.baseURL)/bbc.xml"},
                              {"id": "gone", "name": "Gone", "url": "\(feeds.baseURL)/missing.xml"}]}
            """
        try Data(catalog.utf8).write(to: folder.appendingPathComponent("feeds.json"))
        return feeds
    }

    // MARK: backup

    @Test func backupCopiesTheDatabaseAndRefusesToOverwrite() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let feeds = try feedsWithOneFailing(in: folder)
        defer { feeds.stop() }
        _ = try await newsroom(["fetch", "--database", "live.sqlite"], in: folder)

        let first = try await newsroom(["backup", "--database", "live.sqlite", "copy.sqlite"], in: folder)
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.contains("copied live.sqlite to copy.sqlite"))
        // The copy is a database newsroom reads: the headline fetched into the original is there.
        let headlines = try await newsroom(["headlines", "--database", "copy.sqlite", "--json"], in: folder)
        #expect(headlines.out.contains("Firm in data scandal"))

        let refused = try await newsroom(["backup", "--database", "live.sqlite", "copy.sqlite"], in: folder)
        #expect(refused.status == 1)
        #expect(refused.err.contains("'copy.sqlite' already exists; pass --force to replace it"))
        let forced = try await newsroom(["backup", "--database", "live.sqlite", "--force", "copy.sqlite"], in: folder)
        #expect(forced.status == 0, "\(forced.err)")

        let missing = try await newsroom(["backup", "--database", "nope.sqlite", "other.sqlite"], in: folder)
        #expect(missing.status == 1)
        #expect(missing.err.contains("there is no database at 'nope.sqlite'"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("nope.sqlite").path), "backup must not create the database")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("other.sqlite").path))
    }

    @Test(arguments: ["postgres://newsroom:hunter2secret@db.internal:5432/newsroom", "PostgreSQL://u:hunter2secret@db/newsroom"])
    func backupOfAPostgreSQLDatabaseSaysToUsePgDump(_ url: String) async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try await newsroom(["backup", "--database", url, "out.sqlite"], in: folder)
        #expect(run.status != 0)
        #expect(run.err.contains("pg_dump"))
        #expect(!run.err.contains("hunter2secret") && !run.out.contains("hunter2secret"), "the password was echoed")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out.sqlite").path))
    }

    // MARK: fetch

    @Test func fetchPrintsOneJSONDocumentForScripts() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let feeds = try feedsWithOneFailing(in: folder)
        defer { feeds.stop() }
        let run = try await newsroom(["fetch", "--database", "cli.sqlite", "--json"], in: folder)
        #expect(run.status == 1, "one feed failed")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any], "\(run.out)")
        #expect(document["total"] as? Int == 2)
        #expect(document["failed"] as? Int == 1)
        let publications = try #require(document["publications"] as? [[String: Any]])
        #expect(publications.map { $0["id"] as? String } == ["bbc", "gone"])
        #expect(publications[0]["outcome"] as? String == "updated")
        #expect(publications[0]["inserted"] as? Int == 16)
        #expect(publications[0]["httpStatus"] as? Int == 200)
        #expect(publications[1]["outcome"] as? String == "failed")
        #expect(publications[1]["httpStatus"] as? Int == 404)
        #expect((publications[1]["error"] as? String)?.contains("404") == true)
        #expect(ISO8601DateFormatter().date(from: publications[1]["nextDueAt"] as? String ?? "") != nil)
        // No progress drawing in a pipe.
        #expect(!run.err.contains("\u{1B}") && !run.err.contains("\r"))
    }

    /// Under a pseudo-terminal (`script`), a live progress line comes first on stderr, then the summary lines.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a terminal"))
    func fetchOnATerminalDrawsAProgressLineThenTheSummary() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let feeds = try feedsWithOneFailing(in: folder)
        defer { feeds.stop() }
        let command = "'\(E2E.newsroomBinary!)' fetch --database cli.sqlite"
        var environment = ProcessInfo.processInfo.environment
        environment["LOG_FORMAT"] = nil
        let run = try await ChildProcess.runOffThePool("/usr/bin/script", ["-q", "-e", "-c", command, "/dev/null"],
                                                       environment: environment, directory: folder.path, mergingErrors: true)
        let screen = String(decoding: run.output, as: UTF8.self)
        #expect(run.status == 1, "\(screen)")
        #expect(screen.contains("\r\u{1B}[2K"), "the line is redrawn in place")
        let progress = try #require(screen.range(of: "fetching 2/2 · 1 failed · "), "\(screen.debugDescription)")
        let bbc = try #require(screen.range(of: "bbc\tok\tHTTP 200\t16 new"))
        let gone = try #require(screen.range(of: "gone\tFAILED\tHTTP 404"))
        #expect(progress.upperBound <= bbc.lowerBound && progress.upperBound <= gone.lowerBound, "the summary comes after the progress")
    }

    // MARK: serve: metrics and JSON logs

    /// `serve` with `--metrics-address` and `LOG_FORMAT=json`: /metrics answers on its own port (not the app's),
    /// every metric the alert rules use is exported, labels carry route templates and no query, and every line the
    /// process wrote (banner and library logs included) is one JSON object.
    @Test(.timeLimit(.minutes(2)))
    func serveExportsTheMetricsTheAlertRulesUseAndLogsJSONLines() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let feeds = try feedsWithOneFailing(in: folder)
        defer { feeds.stop() }
        let log = folder.appendingPathComponent("serve.log")
        let server = try E2E.launch(E2E.newsroomBinary!, [
            "serve", "--insecure-transport", "--port", "0", "--metrics-address", "127.0.0.1:0",
            "--database", folder.appendingPathComponent("serve.sqlite").path, "--feeds", folder.appendingPathComponent("feeds.json").path,
            "--resources", E2E.repoRoot.appendingPathComponent("Resources").path,
        ], environment: ["GITHUB_ORG": "acme", "GITHUB_CLIENT_ID": "", "APP_SECRET_KEY": Self.secretKey, "LOG_FORMAT": "json",
                         "NEWSROOM_METRICS_ADDRESS": ""],
           log: log)
        var stopped = false
        defer { if !stopped { E2E.stop(server) } }
        let app = try await E2E.waitForLine(in: log, matching: /newsroom is serving (http:\/\/127\.0\.0\.1:[0-9]+)\s/)
        let metricsPort = try await E2E.waitForLine(in: log, matching: /newsroom metrics at http:\/\/127\.0\.0\.1:([0-9]+)\/metrics/)
        let http = CurlClient()
        defer { http.shutdown() }
        try await E2E.waitUntilReady(app + "/readyz", http: http)
        #expect(!app.hasSuffix(":" + metricsPort))

        // Requests to count: a route with a parameter and a query that must not reach a label.
        _ = try await http.send(CurlRequest(url: app + "/news/bbc?token=s3cr3t-query", totalTimeout: .seconds(10)))
        _ = try await http.send(CurlRequest(url: app + "/no/such/page?token=s3cr3t-query", totalTimeout: .seconds(10)))
        let onAppPort = try await http.send(CurlRequest(url: app + "/metrics", totalTimeout: .seconds(10)))
        #expect(!String(decoding: onAppPort.body, as: UTF8.self).contains("newsroom_feed_fetches_total"), "metrics served on the app's port")
        _ = await feeds.waitForRequests(count: 2)

        // The refresher's first round has recorded both feeds once their counters show up.
        var text = ""
        for _ in 0..<200 {
            let response = try await http.send(CurlRequest(url: "http://127.0.0.1:\(metricsPort)/metrics", totalTimeout: .seconds(10)))
            #expect(response.status == 200)
            #expect(response.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            text = String(decoding: response.body, as: UTF8.self)
            if text.contains(#"outcome="failed""#) && text.contains(#"outcome="updated""#) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let families = Self.families(in: text)
        #expect(text.contains(#"newsroom_feed_fetches_total{publication="bbc",outcome="updated"} 1"#), "\(text)")
        #expect(text.contains(#"newsroom_articles{publication="bbc"} 16"#))
        #expect(text.contains(#"newsroom_feed_consecutive_failures{publication="gone"} 1"#))
        #expect(text.contains(#"route="/news/{id}""#) || text.contains(#"route="/news/:id""#), "a route template: \(text)")
        #expect(!text.contains("s3cr3t-query") && !text.contains("/no/such/page") && !text.contains("/news/bbc"), "a raw path reached a label")
        let notFound = try await http.send(CurlRequest(url: "http://127.0.0.1:\(metricsPort)/other", totalTimeout: .seconds(10)))
        #expect(notFound.status == 404)

        // Every metric and label the alert rules name is one the app exports.
        let rules = try String(contentsOf: E2E.repoRoot.appendingPathComponent("deploy/prometheus/newsroom-rules.yml"), encoding: .utf8)
        let referenced = Set(rules.matches(of: /newsroom_[a-z0-9_]+/).map { String($0.output) })
        #expect(referenced.count >= 3, "\(referenced)")
        for name in referenced {
            #expect(families[name] != nil, "the rules use \(name), which /metrics does not export")
        }
        for match in rules.matches(of: /(newsroom_[a-z0-9_]+)\{([^}]*)\}/) {
            for label in String(match.output.2).matches(of: /([a-z_]+)\s*(?:=~|!~|!=|=)/).map({ String($0.output.1) }) {
                #expect(families[String(match.output.1)]?.contains(label) == true, "the rules match \(match.output.1) on \(label), which it lacks")
            }
        }
        for match in rules.matches(of: /by \(([a-z_, ]+)\) \((newsroom_[a-z0-9_]+)\)/) {
            for label in match.output.1.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                #expect(families[String(match.output.2)]?.contains(label) == true, "the rules group \(match.output.2) by \(label), which it lacks")
            }
        }

        E2E.stop(server)
        stopped = true
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count >= 5)
        var messages: [String] = []
        for line in lines {
            let object = try #require(try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON line: \(line)")
            for key in ["timestamp", "level", "label", "message"] { #expect(object[key] is String, "\(key) missing in \(line)") }
            messages.append(object["message"] as? String ?? "")
        }
        #expect(messages.contains { $0.contains("WARNING: insecure transport") }, "the banner is logged too")
        #expect(messages.contains { $0.hasPrefix("Server started and listening on") }, "Hummingbird's own log lines are JSON too")
        let whole = try String(contentsOf: log, encoding: .utf8)
        #expect(!whole.contains(Self.secretKey))
    }

    /// The alert rules fire when they should and stay quiet otherwise (deploy/prometheus/newsroom-rules.test.yml),
    /// checked by Prometheus' own `promtool` where it is installed (Debian's `prometheus` package).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool"), "needs promtool (apt-get install prometheus)"))
    func alertRulesPassTheirPromtoolUnitTests() async throws {
        let folder = E2E.repoRoot.appendingPathComponent("deploy/prometheus")
        let check = try await ChildProcess.runOffThePool("/usr/bin/promtool", ["check", "config", "prometheus.yml"], directory: folder.path, mergingErrors: true)
        #expect(check.status == 0, "\(String(decoding: check.output, as: UTF8.self))")
        let run = try await ChildProcess.runOffThePool("/usr/bin/promtool", ["test", "rules", "newsroom-rules.test.yml"], directory: folder.path,
                                                       mergingErrors: true)
        #expect(run.status == 0, "\(String(decoding: run.output, as: UTF8.self))")
    }

    /// Metric names → the label names their samples carry (histogram series fold into their family).
    static func families(in text: String) -> [String: Set<String>] {
        var families: [String: Set<String>] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let match = line.prefixMatch(of: #/([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})? /#) else { continue }
            var name = String(match.output.1)
            for suffix in ["_bucket", "_count", "_sum"] where name.hasSuffix(suffix) && !name.hasSuffix("_total") {
                let family = String(name.dropLast(suffix.count))
                if text.contains("# TYPE \(family) histogram") { name = family }
            }
            let labels = (match.output.2.map(String.init) ?? "").matches(of: /([a-zA-Z_][a-zA-Z0-9_]*)="/).map { String($0.output.1) }
            families[name, default: []].formUnion(labels.filter { $0 != "le" })
        }
        return families
    }

    @Test(arguments: [
        (["LOG_FORMAT": "yaml"], [String](), "LOG_FORMAT must be text or json (got 'yaml')"),
        ([:], ["--metrics-address", "0.0.0.0:8080", "--port", "8080"], "--metrics-address uses port 8080, the app's own port"),
        (["NEWSROOM_METRICS_ADDRESS": "metrics.example:abc"], [], "NEWSROOM_METRICS_ADDRESS must be HOST:PORT"),
    ] as [([String: String], [String], String)])
    func serveRefusesBadOperationsSettings(environment: [String: String], arguments: [String], message: String) async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var env = ["GITHUB_ORG": "acme", "GITHUB_CLIENT_ID": "", "APP_SECRET_KEY": Self.secretKey]
        for (name, value) in environment { env[name] = value }
        let run = try await newsroom(["serve", "--insecure-transport"] + arguments, in: folder, environment: env)
        #expect(run.status == 1)
        #expect(run.err.contains(message), "\(run.err)")
        #expect(run.err.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("newsroom.sqlite").path), "refused before opening anything")
    }
}

import Foundation
import Testing
import TestSupport

/// The `newsroom` binary's other commands, run as a user would: exit codes, stdout and stderr.
@Suite(.enabled(if: E2E.newsroomBinary != nil, "needs the newsroom binary that swift test builds"))
struct CommandLineTests {
    struct Run { var status: Int32; var out: String; var err: String }

    /// Runs the binary on a thread of its own: waiting for a child process must not hold one of the few
    /// cooperative threads every other test (and the servers they talk to) needs.
    func newsroom(_ arguments: [String], in folder: URL, environment: [String: String]? = nil) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try runBlocking(arguments, in: folder, environment: environment) }) }.start()
        }
    }

    private func runBlocking(_ arguments: [String], in folder: URL, environment: [String: String]?) throws -> Run {
        let run = try ChildProcess.run(E2E.newsroomBinary!, arguments, environment: environment, directory: folder.path)
        return Run(status: run.status, out: String(decoding: run.output, as: UTF8.self), err: String(decoding: run.error, as: UTF8.self))
    }

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("newsroom-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func parsePrintsTheFeedparserShapedJSON() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try await newsroom(["parse", "--json", E2E.realFeeds.appendingPathComponent("bbc-news-front-page.xml").path], in: folder)
        #expect(run.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
        #expect(Set(json.keys) == ["feed", "entries", "bozo"])
        #expect(json["bozo"] as? Bool == false)
        let feed = try #require(json["feed"] as? [String: Any])
        #expect(feed["title"] as? String == "BBC News - News front page")
        let entries = try #require(json["entries"] as? [[String: Any]])
        #expect(entries.count == 16)
        #expect(entries.first?["title"] as? String == "Firm in data scandal 'made election boasts'")
        #expect(entries.first?["published"] as? String == "2018-03-25T11:52:46Z")
    }

    @Test func parseFlagsIllFormedInputAndRefusesGarbage() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = folder.appendingPathComponent("broken.xml"), garbage = folder.appendingPathComponent("garbage.xml")
        try Data("<rss><channel><item><title>Only this</title></channel>".utf8).write(to: broken)
        try Data("this is not a feed".utf8).write(to: garbage)

        let bozo = try await newsroom(["parse", "--json", broken.path], in: folder)
        #expect(bozo.status == 0)
        #expect(bozo.out.contains(#""bozo": true"#))
        #expect(bozo.out.contains("Only this"))

        let refused = try await newsroom(["parse", garbage.path], in: folder)
        #expect(refused.status != 0)
        #expect(refused.out.isEmpty)
        #expect(refused.err.split(separator: "\n").count == 1)
        #expect(refused.err.contains("garbage.xml"))

        let missing = try await newsroom(["parse", folder.appendingPathComponent("nope.xml").path], in: folder)
        #expect(missing.status != 0)
        #expect(missing.err.contains("cannot read"))
    }

    @Test func checkValidatesFeedsJSONAndNamesTheProblem() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"bbc": "https://feeds.bbci.co.uk/news/rss.xml"}"#.utf8).write(to: folder.appendingPathComponent("feeds.json"))
        let ok = try await newsroom(["check"], in: folder)
        #expect(ok.status == 0)
        #expect(ok.out.contains("1 publications"))

        try Data(#"{"publications": [{"id": "bbc", "name": "BBC", "uri": "https://x"}]}"#.utf8).write(to: folder.appendingPathComponent("bad.json"))
        let bad = try await newsroom(["check", "--feeds", "bad.json"], in: folder)
        #expect(bad.status != 0)
        #expect(bad.err.contains("'bbc'"))
        #expect(bad.err.contains("'uri'"))
    }

    @Test func fetchSummarisesEachPublicationAndFailsWhenOneFails() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let feeds = try LoopbackHTTPServer.serving(files: [
            "/bbc.xml": ServedFile(contentType: "application/rss+xml",
                                   bytes: Array(try Data(contentsOf: E2E.realFeeds.appendingPathComponent("bbc-news-front-page.xml")))),
        ])
        defer { feeds.stop() }
        let catalog = """
            {"publications": [{"id": "bbc", "name": "BBC News", "url": "\(feeds.baseURL)/bbc.xml"},
                              {"id": "gone", "name": "Gone", "url": "\(feeds.baseURL)/missing.xml"}]}
            """
        try Data(catalog.utf8).write(to: folder.appendingPathComponent("feeds.json"))

        let first = try await newsroom(["fetch", "--database", "cli.sqlite"], in: folder)
        #expect(first.status == 1)
        let lines = first.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first { $0.hasPrefix("bbc\t") }?.contains("16 new") == true)
        #expect(lines.first { $0.hasPrefix("gone\t") }?.contains("FAILED") == true)
        #expect(lines.first { $0.hasPrefix("gone\t") }?.contains("HTTP 404") == true)

        // The second run sends the stored ETag and the server answers 304.
        let second = try await newsroom(["fetch", "--database", "cli.sqlite"], in: folder)
        #expect(second.out.contains("bbc\tnot modified"))

        let headlines = try await newsroom(["headlines", "--database", "cli.sqlite", "--json"], in: folder)
        #expect(headlines.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(headlines.out.utf8)) as? [[String: Any]])
        #expect(rows.first { $0["id"] as? String == "bbc" }?["title"] as? String == "Firm in data scandal 'made election boasts'")
        #expect(rows.first { $0["id"] as? String == "gone" }?["title"] is NSNull)
    }

    @Test func serveRefusesToStartWithoutAGateAndSaysHow() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var env = ProcessInfo.processInfo.environment
        for name in ["GITHUB_ORG", "GITHUB_TEAMS", "GITHUB_USERS", "NEWSROOM_ALLOW_ANY_GITHUB_USER"] { env[name] = nil }
        let run = try await newsroom(["serve", "--insecure-transport", "--port", "0"], in: folder, environment: env)
        #expect(run.status != 0)
        #expect(run.err.contains("GITHUB_ORG"))
        #expect(run.err.contains("--allow-any-github-user"))
    }
}

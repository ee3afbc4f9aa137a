import ArgumentParser
import Foundation
import Curl
import Newsroom

struct Fetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Refresh every publication once now and print a line per publication.")

    @Option(help: "Publications file.") var feeds = "feeds.json"
    @Option(help: "SQLite database file.") var database = "newsroom.sqlite"

    func run() async throws {
        var quiet = CLILogging.logger()
        quiet.logLevel = .critical  // the summary lines below say it all
        let pipeline: FeedPipeline
        do {
            pipeline = try FeedPipeline.make(databasePath: database, feedsPath: feeds,
                                             dependencies: try .live(client: CurlClient(userAgent: Version.userAgent),
                                                                        environment: ProcessInfo.processInfo.environment),
                                             logger: quiet)
        } catch { CLILogging.fail("newsroom fetch: \(error)") }
        if CLILogging.stderrIsTerminal { CLILogging.say("fetching every publication in \(feeds)…") }
        let results: [RefreshResult]
        do { results = try await pipeline.refreshAll() } catch { CLILogging.fail("newsroom fetch: \(error)") }
        for result in results { print(FetchSummary.line(result)) }
        if results.contains(where: { if case .failed = $0.status { true } else { false } }) { throw ExitCode(1) }
    }
}

enum FetchSummary {
    static func line(_ r: RefreshResult) -> String {
        let time = String(format: "%.2fs", r.seconds)
        let status = r.httpStatus.map { "HTTP \($0)" } ?? "-"
        switch r.status {
        case .updated(let inserted, let updated):
            return "\(r.publicationID)\tok\t\(status)\t\(inserted) new, \(updated) updated, \(r.articleCount) stored\t\(time)"
        case .notModified:
            return "\(r.publicationID)\tnot modified\t\(status)\t\(r.articleCount) stored\t\(time)"
        case .failed(let message):
            return "\(r.publicationID)\tFAILED\t\(status)\t\(message)\t\(time)"
        }
    }
}

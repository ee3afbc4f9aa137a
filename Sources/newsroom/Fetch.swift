import ArgumentParser
import Foundation
import Curl
import Newsroom

struct Fetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Refresh every publication once now and print a line per publication.")

    @Option(help: "Publications file.") var feeds = "feeds.json"
    @Option(help: ArgumentHelp(stringLiteral: DatabaseOption.help)) var database: String?
    @Flag(help: "Print the results as one JSON document (for scripts).") var json = false

    func run() async throws {
        CLILogging.setUp()
        var quiet = CLILogging.logger()
        quiet.logLevel = .critical  // the summary lines below say it all
        let pipeline: FeedPipeline
        do {
            pipeline = try await FeedPipeline.make(databasePath: DatabaseOption.resolve(database), feedsPath: feeds,
                                             dependencies: try .live(client: CurlClient(userAgent: Version.userAgent),
                                                                        environment: ProcessInfo.processInfo.environment),
                                             logger: quiet)
        } catch { CLILogging.fail("newsroom fetch: \(error)") }
        // A person at a terminal sees the run move; pipes, CI and JSON logs get only the results.
        let line = CLILogging.stderrIsTerminal && CLILogging.format == .text ? ProgressLine() : nil
        let progress = RefreshProgress()
        let drawing = line.map { line in Task { await line.keepDrawing(progress) } }
        let results: [RefreshResult]
        do { results = try await pipeline.refreshAll(progress: progress) } catch {
            drawing?.cancel()
            await pipeline.close()
            CLILogging.fail("newsroom fetch: \(error)")
        }
        await pipeline.close()
        drawing?.cancel()
        _ = await drawing?.value
        line?.finish(progress.snapshot)
        if json {
            print(FetchSummary.json(results))
        } else {
            for result in results { print(FetchSummary.line(result)) }
        }
        if results.contains(where: { if case .failed = $0.status { true } else { false } }) { throw ExitCode(1) }
    }
}

/// The one live line on stderr while `fetch` runs: "fetching 120/1000 · 3 failed · 4.2 s", redrawn in place a
/// few times a second (also while a slow feed holds everything up, so the time keeps moving).
struct ProgressLine: Sendable {
    let started = ContinuousClock.now

    func keepDrawing(_ progress: RefreshProgress) async {
        while !Task.isCancelled {
            draw(progress.snapshot)
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// The final state, left on screen above the summary lines.
    func finish(_ snapshot: RefreshProgress.Snapshot) {
        draw(snapshot)
        FileHandle.standardError.write(Data("\n".utf8))
    }

    private func draw(_ snapshot: RefreshProgress.Snapshot) {
        // Carriage return and erase-line: the new text replaces the old in place.
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + Self.text(snapshot, elapsed: ContinuousClock.now - started)).utf8))
    }

    static func text(_ snapshot: RefreshProgress.Snapshot, elapsed: Duration) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return "fetching \(snapshot.done)/\(snapshot.total) · \(snapshot.failed) failed · " + String(format: "%.1f s", seconds)
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

    /// `{"publications": [...], "total": N, "failed": N}`, one object per publication in catalog order.
    struct Document: Encodable {
        struct Publication: Encodable {
            var id: String
            var outcome: String
            var httpStatus: Int?
            var inserted: Int?
            var updated: Int?
            var error: String?
            var articles: Int
            var seconds: Double
            var nextDueAt: Date
        }
        var publications: [Publication]
        var total: Int
        var failed: Int
    }

    static func json(_ results: [RefreshResult]) -> String {
        let publications = results.map { r -> Document.Publication in
            var p = Document.Publication(id: r.publicationID, outcome: "", httpStatus: r.httpStatus, articles: r.articleCount,
                                         seconds: (r.seconds * 1000).rounded() / 1000, nextDueAt: r.nextDueAt)
            switch r.status {
            case .updated(let inserted, let updated): (p.outcome, p.inserted, p.updated) = ("updated", inserted, updated)
            case .notModified: p.outcome = "not_modified"
            case .failed(let message): (p.outcome, p.error) = ("failed", message)
            }
            return p
        }
        let document = Document(publications: publications, total: results.count, failed: publications.filter { $0.outcome == "failed" }.count)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: (try? encoder.encode(document)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

import ArgumentParser
import Foundation
import Feeds

struct Parse: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Parse an RSS/Atom file and print it.")

    @Argument(help: "The feed file.") var file: String
    @Flag(help: "Print the feedparser-like JSON shape.") var json = false
    @Option(help: "Base URL for resolving relative links.") var baseURL: String?

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else { CLILogging.fail("newsroom parse: cannot read \(file)") }
        do {
            let feed = try FeedParser.parse(Array(data), baseURL: baseURL ?? URL(fileURLWithPath: file).absoluteString)
            print(json ? FeedJSON.encode(feed) : FeedText.render(feed))
        } catch {
            CLILogging.fail("newsroom parse: \(file): \(error)")
        }
    }
}

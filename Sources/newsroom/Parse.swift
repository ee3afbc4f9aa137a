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
            let feed = try FeedParser.parse(data, baseURL: baseURL ?? URL(fileURLWithPath: file).absoluteString)
            if json {
                // Bytes straight to stdout: a multi-megabyte feed's JSON is not worth a String round trip.
                FileHandle.standardOutput.write(Data(FeedJSON.encodedBytes(feed) + [0x0A]))
            } else {
                print(FeedText.render(feed))
            }
        } catch {
            CLILogging.fail("newsroom parse: \(file): \(error)")
        }
    }
}

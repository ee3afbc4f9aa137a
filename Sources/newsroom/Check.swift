import ArgumentParser
import Foundation
import Newsroom

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate feeds.json and exit (non-zero with the reason when invalid).")

    @Option(help: "Publications file.") var feeds = "feeds.json"

    func run() throws {
        do {
            let catalog = try FeedPipeline.catalog(at: feeds)
            print("\(feeds): ok, \(catalog.publications.count) publications")
            for p in catalog.publications { print("  \(p.id)\t\(p.name)\tevery \(p.refreshMinutes) min\t\(p.url)") }
        } catch {
            CLILogging.fail("newsroom check: \(error)")
        }
    }
}

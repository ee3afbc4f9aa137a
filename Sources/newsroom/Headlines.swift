import ArgumentParser
import Foundation
import Newsroom
import Storage

struct Headlines: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print each publication's current headline from the database.")

    @Option(help: ArgumentHelp(stringLiteral: DatabaseOption.help)) var database: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let opened: OpenedDatabase
        do { opened = try await FeedPipeline.openDatabase(DatabaseOption.resolve(database)) } catch { CLILogging.fail("newsroom headlines: \(error)") }
        let rows: [PublicationHeadline]
        do { rows = try await opened.store.headlines() } catch {
            await opened.close()
            CLILogging.fail("newsroom headlines: \(error)")
        }
        await opened.close()
        if json {
            let iso = ISO8601DateFormatter()
            let items: [[String: Any]] = rows.map { row in
                var item: [String: Any] = ["id": row.publication.id, "name": row.publication.name]
                if let h = row.headline {
                    item["title"] = h.title ?? ""
                    item["link"] = h.link ?? ""
                    if let p = h.published { item["published"] = iso.string(from: p) }
                } else { item["title"] = NSNull() }
                return item
            }
            let data = try JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for row in rows {
                guard let h = row.headline else { print("\(row.publication.id)\t(nothing fetched yet)"); continue }
                let when = h.published.map { ISO8601DateFormatter().string(from: $0) } ?? "-"
                print("\(row.publication.id)\t\(h.title ?? "(untitled)")\t\(h.link ?? "-")\t\(when)")
            }
        }
    }
}

import Foundation
import TestSupport

/// The real-world feeds in Tests/Fixtures/real-feeds, found relative to this file.
enum RealFeeds {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // NewsroomTests
        .appendingPathComponent("../Fixtures/real-feeds").standardized

    static let bbc = "bbc-news-front-page.xml"
    static let cnn = "cnn-edition.rss"
    static let npr = "npr-news.xml"
    /// The BBC fixture's first item: the headline after a fetch.
    static let bbcFirstTitle = "Firm in data scandal 'made election boasts'"

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    static func text(_ name: String) throws -> String { String(decoding: try bytes(name), as: UTF8.self) }

    /// The BBC feed with one new item placed first and, if asked, its original first item dropped.
    static func bbcWithNewTopStory(guid: String, title: String, droppingOriginalFirst: Bool) throws -> [UInt8] {
        var text = try Self.text(bbc)
        guard let open = text.range(of: "<item>"), let close = text.range(of: "</item>", range: open.upperBound..<text.endIndex) else {
            throw FixtureError("the BBC fixture has no <item>")
        }
        if droppingOriginalFirst { text.removeSubrange(open.lowerBound..<close.upperBound) }
        let item = "<item><title>\(title)</title><link>https://example.com/\(guid)</link><guid isPermaLink=\"false\">\(guid)</guid>"
            + "<pubDate>Fri, 24 Nov 2023 15:00:00 GMT</pubDate></item>\n"
        text.insert(contentsOf: item, at: open.lowerBound)
        return Array(text.utf8)
    }

    /// The BBC feed with its `<ttl>` set to `minutes`.
    static func bbcWithTTL(minutes: Int) throws -> [UInt8] {
        let text = try Self.text(bbc)
        guard text.contains("<ttl>15</ttl>") else { throw FixtureError("the BBC fixture has no <ttl>15</ttl>") }
        return Array(text.replacingOccurrences(of: "<ttl>15</ttl>", with: "<ttl>\(minutes)</ttl>").utf8)
    }

    /// The fixture gzip-compressed by the system's gzip, as a publisher's server would send it.
    static func gzipped(_ name: String) throws -> [UInt8] {
        let run = try ChildProcess.run("/bin/gzip", ["-c", path(name)])
        guard run.status == 0 else { throw FixtureError("gzip exited with \(run.status)") }
        return run.output
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

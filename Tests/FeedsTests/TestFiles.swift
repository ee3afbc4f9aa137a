import Foundation
import Testing
@testable import Feeds

/// Test inputs found beside this file, so tests do not depend on the working directory.
enum TestFiles {
    /// This file lives in Tests/FeedsTests/; the publishers' feeds live in Tests/Fixtures/real-feeds.
    static let realFeeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/real-feeds").standardized
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func realFeed(_ name: String) throws -> [UInt8] {
        try bytes(at: realFeeds.appendingPathComponent(name))
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        try bytes(at: fixtures.appendingPathComponent(name))
    }

    private static func bytes(at url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }
}

/// Seconds since 1970 of a parsed date, for exact comparisons.
func epoch(_ date: Date?) -> Double? { date?.timeIntervalSince1970 }

func parse(_ xml: String, baseURL: String? = nil) throws(FeedParseError) -> ParsedFeed {
    try FeedParser.parse(Array(xml.utf8), baseURL: baseURL)
}

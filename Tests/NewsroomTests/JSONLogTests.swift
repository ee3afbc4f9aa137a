import Foundation
import Logging
import Synchronization
import Testing
@testable import Newsroom

/// `LOG_FORMAT=json` lines: one object per line, whatever the message and metadata hold.
@Suite struct JSONLogTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        var sink: JSONLogSink { JSONLogSink { line in self.lines.withLock { $0.append(line) } } }
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
    }

    @Test func aLineCarriesTimestampLevelLabelMessageAndMetadata() throws {
        let lines = Lines()
        var logger = Logger(label: "newsroom") { JSONLogHandler(label: $0, level: .info, sink: lines.sink) }
        logger[metadataKey: "instance"] = "a"
        logger.info("refresh of bbc failed", metadata: ["publication": "bbc", "attempt": .stringConvertible(3),
                                                       "hosts": ["a", "b"], "detail": ["code": "404"]])
        logger.debug("below the level: not written")
        #expect(lines.all.count == 1)
        let object = try Self.object(try #require(lines.all.first))
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "newsroom")
        #expect(object["message"] as? String == "refresh of bbc failed")
        #expect(object["publication"] as? String == "bbc")
        #expect(object["attempt"] as? String == "3")
        #expect(object["instance"] as? String == "a")
        #expect(object["hosts"] as? [String] == ["a", "b"])
        #expect((object["detail"] as? [String: String])?["code"] == "404")
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(timestamp)")
    }

    @Test func timestampsAreUTCWithMilliseconds() {
        let line = JSONLogLine.encode(timestamp: Date(timeIntervalSince1970: 1_780_000_000.1234), level: .warning, label: "l", message: "m", metadata: [:])
        #expect(line == #"{"timestamp":"2026-05-28T20:26:40.123Z","level":"warning","label":"l","message":"m"}"#)
    }

    /// Quotes, backslashes, every control character, line separators, escape sequences, bytes that were not
    /// UTF-8, and metadata named like the line's own fields: each line still parses, holds exactly what was
    /// logged, and is one line.
    @Test func hostileTextStaysOneParsableLine() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init) + [Unicode.Scalar(0x7F)!, Unicode.Scalar(0x85)!]))
        let invalidUTF8 = String(decoding: [0x66, 0xFF, 0xC3, 0x28, 0xED, 0xA0, 0x80, 0x6F], as: UTF8.self)
        let hostile = [
            #"he said "hi" \ and left"#, controls, "line one\nline two\r\nthree", "\u{2028}sep\u{2029}", "\u{1B}[2J\u{1B}]0;title\u{07}",
            invalidUTF8, "}{\"level\":\"critical\"}", "😀 ünïcödé \u{FEFF}", "",
        ]
        for text in hostile {
            let line = JSONLogLine.encode(timestamp: Date(), level: .error, label: text, message: text,
                                          metadata: ["level": .string(text), "message": .string("spoof"), text.isEmpty ? "k" : text: .string(text)])
            #expect(!line.contains("\n") && !line.contains("\r") && !line.contains("\u{2028}") && !line.contains("\u{2029}"), "\(line.debugDescription)")
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "a raw control character: \(line.debugDescription)")
            let object = try Self.object(line)
            #expect(object["message"] as? String == text)
            #expect(object["label"] as? String == text)
            // Metadata cannot replace the line's own fields.
            #expect(object["level"] as? String == "error")
            #expect(object["meta_level"] as? String == text)
            #expect(object["meta_message"] as? String == "spoof")
        }
        #expect(JSONLogLine.encode(timestamp: Date(), level: .info, label: "l", message: invalidUTF8, metadata: [:]).contains("\u{FFFD}"))
    }

    @Test func concurrentLoggersNeverInterleaveLines() async throws {
        let lines = Lines()
        let sink = lines.sink
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    let logger = Logger(label: "task-\(task)") { JSONLogHandler(label: $0, level: .info, sink: sink) }
                    for n in 0..<50 { logger.info("message \(n) of task \(task)\nwith a second line") }
                }
            }
        }
        #expect(lines.all.count == 400)
        for line in lines.all { _ = try Self.object(line) }
    }
}

import Feeds
import Foundation

// Measures FeedParser on one file, or builds a large feed from a small one (--make-large).
let usage = """
usage: ParseBench FILE [--iterations N]
       ParseBench --make-large SRC OUT [--size-mb N]
"""

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

func readBytes(_ path: String) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    return [UInt8](data)
}

func option(_ name: String, in arguments: [String]) -> Int? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    guard let value = Int(arguments[index + 1]), value > 0 else { fail("\(name) needs a positive integer\n\(usage)") }
    return value
}

func benchmark(path: String, iterations: Int) {
    let bytes = readBytes(path)
    var times: [Double] = []
    var entries = 0
    for _ in 0..<iterations {
        let start = ContinuousClock.now
        do {
            entries = try FeedParser.parse(bytes, maxBytes: Int.max).entries.count
        } catch {
            fail("parse failed: \(error)")
        }
        let elapsed = ContinuousClock.now - start
        times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    let megabytes = Double(bytes.count) / 1_000_000
    let best = times.min() ?? 0
    let mean = times.reduce(0, +) / Double(times.count)
    print(String(format: "newsroom-parse  size=%.1fMB  best=%.3fs  mean=%.3fs  throughput=%.1fMB/s  entries=%d",
                 megabytes, best, mean, megabytes / best, entries))
}

/// Keeps everything around the items and repeats the items, each with a unique guid, until `sizeMB`.
func makeLarge(source: String, output: String, sizeMB: Int) {
    let text = String(decoding: readBytes(source), as: UTF8.self)
    guard let firstItem = text.range(of: "<item"), let lastItemEnd = text.range(of: "</item>", options: .backwards) else {
        fail("\(source) has no <item> elements")
    }
    let header = text[..<firstItem.lowerBound]
    let items = String(text[firstItem.lowerBound..<lastItemEnd.upperBound])
    let trailer = text[lastItemEnd.upperBound...]
    let target = sizeMB * 1_000_000
    var body = String(header)
    var copy = 0
    while body.utf8.count + trailer.utf8.count < target {
        copy += 1
        // Make guids unique per copy so a store would see distinct articles.
        body += items.replacingOccurrences(of: "</guid>", with: "#copy\(copy)</guid>")
        body += "\n"
    }
    body += trailer
    do {
        try Data(body.utf8).write(to: URL(fileURLWithPath: output))
    } catch {
        fail("cannot write \(output): \(error)")
    }
    print("wrote \(output): \(body.utf8.count) bytes, \(copy) copies of the items")
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--make-large" {
    guard arguments.count >= 3 else { fail(usage) }
    makeLarge(source: arguments[1], output: arguments[2], sizeMB: option("--size-mb", in: arguments) ?? 20)
} else if let path = arguments.first, !path.hasPrefix("-") {
    benchmark(path: path, iterations: option("--iterations", in: arguments) ?? 5)
} else {
    fail(usage)
}

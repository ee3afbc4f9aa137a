import Foundation
import Curl
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Paths and processes the browser test needs: the built `newsroom` binary, chromedriver, free ports.
enum E2E {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let realFeeds = repoRoot.appendingPathComponent("Tests/Fixtures/real-feeds")
    /// Screenshots land in the build folder (never committed).
    static let screenshots = repoRoot.appendingPathComponent(".build/e2e-screenshots")

    /// The `newsroom` executable `swift test` built next to the test bundle.
    static var newsroomBinary: String? {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("newsroom").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        let fallback = repoRoot.appendingPathComponent(".build/debug/newsroom").path
        return FileManager.default.isExecutableFile(atPath: fallback) ? fallback : nil
    }

    static func which(_ names: [String]) -> String? {
        for name in names {
            for dir in ["/usr/bin", "/usr/local/bin", "/usr/lib/chromium", "/snap/bin"] {
                let path = dir + "/" + name
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    static var chromium: String? { which(["chromium", "chromium-browser", "google-chrome"]) }
    static var chromedriver: String? { which(["chromedriver"]) }

    /// `make test` sets NEWSROOM_E2E=1: then a missing browser is a failure, not a skip.
    static var required: Bool { ProcessInfo.processInfo.environment["NEWSROOM_E2E"] == "1" }
    static var available: Bool { newsroomBinary != nil && chromium != nil && chromedriver != nil }

    /// Waits (bounded) until a process's log has a line matching `pattern`, and returns its first capture: how a
    /// server started on port 0 tells which port it bound.
    static func waitForLine(in log: URL, matching pattern: Regex<(Substring, Substring)>, attempts: Int = 600) async throws -> String {
        for _ in 0..<attempts {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let match = text.firstMatch(of: pattern) { return String(match.1) }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw WebDriver.Failure(description: "\(log.lastPathComponent) never said what it listens on")
    }

    static func launch(_ path: String, _ arguments: [String], environment: [String: String], log: URL) throws -> ChildProcess {
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        return try ChildProcess(path, arguments, environment: env, output: .file(log.path), error: .sameAsOutput)
    }

    /// SIGTERM, then SIGKILL if it lingers.
    static func stop(_ process: ChildProcess) { process.stop() }

    /// Polls `url` until it answers 200 (bounded: the process may still be starting).
    static func waitUntilReady(_ url: String, http: CurlClient, attempts: Int = 300) async throws {
        for _ in 0..<attempts {
            if let response = try? await http.send(CurlRequest(url: url, totalTimeout: .seconds(2))), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw WebDriver.Failure(description: "\(url) never became ready")
    }
}

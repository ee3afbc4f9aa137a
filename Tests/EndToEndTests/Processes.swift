import Foundation
import Curl
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

    /// A port nothing listens on right now (bind to 0, read it back, close).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw WebDriver.Failure(description: "socket failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { ptr in
            ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw WebDriver.Failure(description: "bind failed") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func launch(_ path: String, _ arguments: [String], environment: [String: String], log: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// SIGTERM, then SIGKILL if it lingers. (Foundation's waitUntilExit can hang inside async tests on Linux.)
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<100 where process.isRunning { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Polls `url` until it answers 200 (bounded: the process may still be starting).
    static func waitUntilReady(_ url: String, http: CurlClient, attempts: Int = 300) async throws {
        for _ in 0..<attempts {
            if let response = try? await http.send(CurlRequest(url: url, totalTimeout: .seconds(2))), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw WebDriver.Failure(description: "\(url) never became ready")
    }
}

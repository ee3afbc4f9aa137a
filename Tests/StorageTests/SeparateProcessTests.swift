import Foundation
import TestSupport
import Testing
import Storage

private let sqliteShell = "/usr/bin/sqlite3"

/// Runs one query in a separate `sqlite3` process (read-only) and returns its output.
private func queryInAnotherProcess(_ databasePath: String, _ sql: String) async throws -> String {
    let run = try await ChildProcess.runOffThePool(sqliteShell, ["-readonly", "-bail", "-cmd", ".timeout 5000", databasePath, sql],
                                                   mergingErrors: true)
    let text = String(decoding: run.output, as: UTF8.self)
    #expect(run.status == 0, "sqlite3 failed: \(text)")
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// A real second process (the sqlite3 shell) reads the file while this process writes through `Store`.
/// SQLite only: it reads the file with SQLite's own shell (readersSeeWholeFetchesWhileAnotherPoolWrites is the contract, on every engine).
@Suite("A separate process on the same file", .enabled(if: FileManager.default.isExecutableFile(atPath: sqliteShell)))
struct SeparateProcessTests {
    @Test func anotherProcessReadsWholeFetchesWhileThisOneWrites() async throws {
        let folder = try TemporaryFolder()
        let writer = try SQLiteStore(path: folder.databasePath)
        try await writer.syncCatalog([bbc], now: epoch)
        let fetches = 60
        let path = folder.databasePath

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for n in 0..<fetches {
                    try await writer.fetched((0...n).reversed().map { item($0) }, at: minute(Double(n)))
                    await Task.yield()
                }
            }
            group.addTask {
                var lastCount = 0
                while lastCount < fetches {
                    try Task.checkCancellation()
                    // One statement, one snapshot: the count and the headline must agree.
                    let line = try await queryInAnotherProcess(path, """
                        SELECT (SELECT COUNT(*) FROM articles) || '|' || coalesce((SELECT title FROM articles WHERE feedPosition = 0), '');
                        """)
                    let parts = line.split(separator: "|", omittingEmptySubsequences: false)
                    let count = try #require(parts.first.flatMap { Int($0) }, "unexpected output: \(line)")
                    #expect(count >= lastCount)
                    #expect(parts.last.map(String.init) == (count == 0 ? "" : "Story \(count - 1)"))
                    lastCount = count
                }
            }
            try await group.waitForAll()
        }
    }
}

import Foundation
import GRDB
import Synchronization
import Testing
import Storage

/// `Store.backup`: a consistent copy of a live database file, never over an existing file unless asked.
/// SQLite only: a backup copies the SQLite file (PostgreSQL is backed up with its own tools).
@Suite struct BackupTests {
    func rows(_ path: String, _ sql: String) async throws -> Int {
        let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        return try await queue.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    /// The copy is taken while another connection (a server) keeps writing: it opens on its own, is one consistent
    /// snapshot (every fetch in it is whole), and holds what was there when the copy began.
    @Test func aCopyTakenWhileAnotherConnectionWritesIsConsistent() async throws {
        let folder = try TemporaryFolder()
        let store = try SQLiteStore(path: folder.databasePath)
        try await store.syncCatalog([bbc, cnn], now: epoch)
        try await store.fetched((1...50).map { item($0) }, into: "bbc", at: epoch)

        // The writer: whole fetches of 20 articles each into cnn, one transaction at a time, until told to stop.
        let stop = ManagedAtomicFlag()
        let writer = Task.detached {
            var round = 0
            while !stop.isSet {
                round += 1
                try await store.fetched((0..<20).map { item(round * 100 + $0) }, into: "cnn", at: minute(Double(round)))
            }
            return round
        }
        // Let it get going, then copy while it writes.
        while try await store.articleCount(of: "cnn") < 100 { await Task.yield() }
        let copy = folder.path + "/copy.sqlite"
        try SQLiteStore.backup(databaseAt: folder.databasePath, to: copy, replacing: false)
        stop.set()
        let rounds = try await writer.value
        #expect(rounds >= 5)

        // One file, self-contained, readable by its owner only.
        #expect(!FileManager.default.fileExists(atPath: copy + "-wal"))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o077 == 0)
        await #expect(try rows(copy, "SELECT COUNT(*) FROM articles WHERE publicationID = 'bbc'") == 50)
        // Every fetch is in the copy whole or not at all: the cnn articles come in multiples of 20.
        let cnnArticles = try await rows(copy, "SELECT COUNT(*) FROM articles WHERE publicationID = 'cnn'")
        #expect(cnnArticles >= 100 && cnnArticles % 20 == 0, "\(cnnArticles)")
        await #expect(try rows(copy, "PRAGMA user_version") == rows(folder.databasePath, "PRAGMA user_version"))
        // And newsroom opens it as it is (restore = put it in place of the database).
        let restored = try SQLiteStore(path: copy)
        #expect(try await restored.publications().map(\.id) == ["bbc", "cnn"])
        #expect(try await restored.currentHeadline(of: "bbc")?.title == "Story 1")
        // Nothing else was left behind in the folder.
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("partial") }
        #expect(names.isEmpty, "\(names)")
    }

    @Test func anExistingFileIsRefusedUnlessReplacing() async throws {
        let folder = try TemporaryFolder()
        let store = try SQLiteStore(path: folder.databasePath)
        try await store.syncCatalog([bbc], now: epoch)
        let output = folder.path + "/backup.sqlite"
        try Data("precious".utf8).write(to: URL(fileURLWithPath: output))

        #expect(throws: BackupError.destinationExists(path: output)) { try SQLiteStore.backup(databaseAt: folder.databasePath, to: output, replacing: false) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == Data("precious".utf8))
        #expect(BackupError.destinationExists(path: output).description.contains("--force"))

        try SQLiteStore.backup(databaseAt: folder.databasePath, to: output, replacing: true)
        await #expect(try rows(output, "SELECT COUNT(*) FROM publications") == 1)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("partial") }
        #expect(leftovers.isEmpty)
    }

    @Test func aMissingOrForeignSourceAndAnUnwritableDestinationAreRefused() async throws {
        let folder = try TemporaryFolder()
        let missing = folder.path + "/nope.sqlite"
        #expect(throws: BackupError.noDatabase(path: missing)) { try SQLiteStore.backup(databaseAt: missing, to: folder.path + "/a.sqlite", replacing: false) }
        // Nothing was created on the way: neither the source nor the output.
        #expect(!FileManager.default.fileExists(atPath: missing))
        #expect(throws: BackupError.noDatabase(path: folder.path)) { try SQLiteStore.backup(databaseAt: folder.path, to: folder.path + "/a.sqlite", replacing: false) }

        let notADatabase = folder.path + "/notes.txt"
        try Data(String(repeating: "not sqlite at all\n", count: 400).utf8).write(to: URL(fileURLWithPath: notADatabase))
        let error = #expect(throws: BackupError.self) { try SQLiteStore.backup(databaseAt: notADatabase, to: folder.path + "/b.sqlite", replacing: false) }
        #expect(error == .storage(.notADatabase(path: notADatabase)), "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/b.sqlite"))

        _ = try SQLiteStore(path: folder.databasePath)
        let nowhere = folder.path + "/no/such/folder/c.sqlite"
        let unwritable = #expect(throws: BackupError.self) { try SQLiteStore.backup(databaseAt: folder.databasePath, to: nowhere, replacing: false) }
        guard case .cannotWrite = unwritable else { Issue.record("\(String(describing: unwritable))"); return }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("partial") || $0.hasSuffix(".sqlite") && $0 != "newsroom.sqlite" }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}

/// A flag one task sets and another reads.
final class ManagedAtomicFlag: Sendable {
    private let flag = Mutex(false)
    var isSet: Bool { flag.withLock { $0 } }
    func set() { flag.withLock { $0 = true } }
}

import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing

/// SQLite only, but for `foreignKeysAreEnforced`: files, folders and GRDB's migration table (PostgreSQL's migrations are
/// PostgresStorageTests' MigrationTests); `errorsTellWhatToDo` needs no store.
@Suite("Opening and migrating the database")
struct MigrationTests {
    @Test func emptyFileIsMigratedAndReopeningChangesNothing() async throws {
        let folder = try TemporaryFolder()
        do {
            let store = try SQLiteStore(path: folder.databasePath)
            #expect(await store.isReachable())
            try await store.syncCatalog([bbc], now: epoch)
        }
        let reopened = try SQLiteStore(path: folder.databasePath)
        #expect(try await reopened.publications().map(\.id) == ["bbc"])
        let queue = try DatabaseQueue(path: folder.databasePath)
        let applied = try await queue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
        #expect(applied == ["v1-publications-articles", "v2-users-sessions-logins", "v3-expiring-session-tokens", "v4-stored-article-counts"])
        let journalMode = try await queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journalMode == "wal")
    }

    @Test(arguments: StorageEngine.available)
    func foreignKeysAreEnforced(engine: StorageEngine) async throws {
        let store = try await engine.makeStore()
        let session = SessionRecord(idHash: "h", githubID: 99, csrfToken: "c", encryptedToken: [1], admittedBy: "any",
                                    membershipCheckedAt: epoch, lastGoodCheckAt: epoch, createdAt: epoch, lastSeenAt: epoch,
                                    absoluteExpiresAt: minute(60))
        await #expect(throws: StorageError.unknownUser(githubID: 99)) { try await store.createSession(session) }
    }

    @Test func databaseFromNewerVersionIsRefusedWithClearError() async throws {
        let folder = try TemporaryFolder()
        _ = try SQLiteStore(path: folder.databasePath)
        let queue = try DatabaseQueue(path: folder.databasePath)
        try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')") }
        try queue.close()

        let error = #expect(throws: StorageError.self) { try SQLiteStore(path: folder.databasePath) }
        #expect(error == .newerSchema(path: folder.databasePath, unknownMigrations: ["v9-from-the-future"]))
        #expect(error?.description.contains("newer newsroom") == true)
    }

    @Test func missingFolderIsNamed() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/no-such-folder/newsroom.sqlite"
        #expect(throws: StorageError.directoryMissing(path: folder.path + "/no-such-folder")) { try SQLiteStore(path: path) }
    }

    /// The async opener (the app's start) opens and migrates on a thread of its own, with the same errors.
    @Test func asyncOpenMigratesAndNamesAMissingFolder() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(path: folder.databasePath)
        try await store.syncCatalog([bbc], now: epoch)
        #expect(try await store.publications().map(\.id) == ["bbc"])
        let path = folder.path + "/no-such-folder/newsroom.sqlite"
        await #expect(throws: StorageError.directoryMissing(path: folder.path + "/no-such-folder")) { try await SQLiteStore.open(path: path) }
    }

    @Test func fileThatIsNotADatabaseIsRefusedAndKept() async throws {
        let folder = try TemporaryFolder()
        let garbage = Data("this is a feeds.json, not a database\n".utf8) + Data(repeating: 0xAB, count: 4096)
        try garbage.write(to: URL(fileURLWithPath: folder.databasePath))
        #expect(throws: StorageError.notADatabase(path: folder.databasePath)) { try SQLiteStore(path: folder.databasePath) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.databasePath)) == garbage)
    }

    @Test func folderInPlaceOfTheFileIsRefused() async throws {
        let folder = try TemporaryFolder()
        let error = #expect(throws: StorageError.self) { try SQLiteStore(path: folder.path) }
        #expect(error == .notWritable(path: folder.path, reason: "unable to open database file"))
    }

    @Test func temporaryStoreRemovesItsFolder() async throws {
        var store: SQLiteStore? = try SQLiteStore.temporary()
        let file = try #require(store).path
        try await store?.syncCatalog([bbc], now: epoch)
        #expect(FileManager.default.fileExists(atPath: file))
        store = nil
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    @Test func errorsTellWhatToDo() {
        #expect(StorageError.unknownPublication(id: "bbc").description.contains("sync the catalog"))
        #expect(StorageError.busy(operation: "x").description.contains("retry"))
        #expect(StorageError.notWritable(path: "/p", reason: "r").description.contains("permissions"))
    }
}

import Foundation
internal import GRDB

extension SQLiteStore {
    /// Inserts the user or updates the row with the same GitHub id (a renamed login updates it, `createdAt` stays).
    /// - Returns: the stored row.
    @discardableResult
    public func upsertUser(_ user: UserRecord) async throws(StorageError) -> UserRecord {
        try await write("storing GitHub user \(user.githubID)") { db in
            try db.execute(sql: """
                INSERT INTO users (githubID, login, name, avatarURL, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(githubID) DO UPDATE SET
                    login = excluded.login, name = excluded.name, avatarURL = excluded.avatarURL, updatedAt = excluded.updatedAt
                """, arguments: [user.githubID, user.login, user.name, user.avatarURL, user.createdAt.databaseSeconds, user.updatedAt.databaseSeconds])
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM users WHERE githubID = ?", arguments: [user.githubID]) else {
                throw StorageError.database(operation: "storing GitHub user \(user.githubID)", reason: "the row vanished after the upsert")
            }
            return UserRecord(row: row)
        }
    }

    public func user(githubID: Int64) async throws(StorageError) -> UserRecord? {
        try await read("reading GitHub user \(githubID)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE githubID = ?", arguments: [githubID]).map(UserRecord.init(row:))
        }
    }
}

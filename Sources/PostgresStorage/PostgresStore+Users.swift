import Foundation
import PostgresNIO
import Storage

extension PostgresStore {
    /// Inserts the user or updates the row with the same GitHub id (a renamed login updates it, `createdAt` stays),
    /// in one statement. - Returns: the stored row.
    @discardableResult
    public func upsertUser(_ user: UserRecord) async throws(StorageError) -> UserRecord {
        try await run("storing GitHub user \(user.githubID)") { connection in
            guard let row = try await connection.rows("""
                INSERT INTO users AS u (githubID, login, name, avatarURL, createdAt, updatedAt)
                VALUES (\(user.githubID), \(user.login), \(user.name), \(user.avatarURL), \(user.createdAt.seconds), \(user.updatedAt.seconds))
                ON CONFLICT (githubID) DO UPDATE SET
                    login = excluded.login, name = excluded.name, avatarURL = excluded.avatarURL, updatedAt = excluded.updatedAt
                RETURNING \(unescaped: Columns.user)
                """).first else {
                throw StorageError.database(operation: "storing GitHub user \(user.githubID)", reason: "the upsert returned no row")
            }
            return try UserRecord(row: row)
        }
    }

    public func user(githubID: Int64) async throws(StorageError) -> UserRecord? {
        try await run("reading GitHub user \(githubID)") { connection in
            try await connection.rows("SELECT \(unescaped: Columns.user) FROM users u WHERE u.githubID = \(githubID)")
                .first.map(UserRecord.init(row:))
        }
    }
}

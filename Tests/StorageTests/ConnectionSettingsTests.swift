import Foundation
import GRDB
import Synchronization
import Testing
@testable import Storage

/// Every connection of the pool, the writer and each reader, keeps a small page cache (issue 11, memory):
/// SQLite's default 2 MiB per connection was the largest heap user after a 1 000-feed round.
/// SQLite only: it reads GRDB's connections' pragmas, below the `Store` interface.
@Suite struct ConnectionSettingsTests {
    @Test func theWriterAndEveryReaderUseTheBoundedPageCache() async throws {
        let store = try SQLiteStore.temporary()
        let expected = -SQLiteStore.pageCacheKiB

        await #expect(try store.pool.write { try Int.fetchOne($0, sql: "PRAGMA cache_size") } == expected)
        // Reads at once, so the pool opens more than one reader connection; each reports its own setting.
        let seen = Mutex<Set<Int>>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let size = try? store.pool.read { db in
                usleep(20_000)  // hold the connection so the other reads need their own
                return try Int.fetchOne(db, sql: "PRAGMA cache_size")
            }
            seen.withLock { _ = $0.insert(size.flatMap { $0 } ?? 0) }
        }
        #expect(seen.withLock { $0 } == [expected])
    }
}

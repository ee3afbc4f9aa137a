import Foundation
internal import GRDB

// Readiness probes: cheap, bounded, and they change nothing.
extension SQLiteStore {
    /// How long `isWritable()` waits for another writer's lock before it reports the database not writable.
    public static let writeProbeTimeout: TimeInterval = 0.25

    /// A trivial read: true when the file can be queried.
    public func isReachable() async -> Bool {
        (try? await read("checking the database") { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    /// True when this process could write now: takes the write lock (`BEGIN IMMEDIATE`) and rolls back at once.
    /// False when the file is read-only, or another process (or connection) has held the write lock for longer
    /// than `writeProbeTimeout`.
    ///
    /// It runs on a connection of its own, not the pool's writer: that one waits up to `busyTimeout` for a lock
    /// and queues behind this process's own writes, so a probe through it could take seconds to answer.
    public func isWritable() async -> Bool {
        guard let probe = probeConnection() else { return false }
        do {
            try await probe.writeWithoutTransaction { db in try db.inTransaction(.immediate) { .rollback } }
            return true
        } catch {
            return false
        }
    }

    /// The probe's connection, opened on first use (commands that never probe pay nothing) and kept; nil, and
    /// tried again next time, when it cannot be opened. Its journal mode is left as the pool set it (WAL).
    private func probeConnection() -> DatabaseQueue? {
        file.writeProbe.withLock { probe in
            if let probe { return probe }
            var configuration = Configuration()
            configuration.busyMode = .timeout(SQLiteStore.writeProbeTimeout)
            configuration.label = "newsroom-write-probe"
            probe = try? DatabaseQueue(path: path, configuration: configuration)
            return probe
        }
    }
}

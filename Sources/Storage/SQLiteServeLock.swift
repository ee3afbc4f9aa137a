import Foundation

/// Proof that this process is the one server of an SQLite file: an exclusive `flock` on the database file itself,
/// held for as long as the value lives (the kernel lets go when the process ends, however it ends).
///
/// SQLite's own locks are POSIX record locks, which `flock` never meets, so holding this changes nothing for
/// SQLite: `newsroom fetch`, `headlines` and `backup` go on reading and writing the file beside a running server.
/// Only a second `serve` asks for this lock, and it is refused: two servers on one file would each run their own
/// refresher, caches and sign-out list, which only PostgreSQL's shared state can keep consistent.
public final class SQLiteServeLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock on the database file at `path` (created by then: open the store first).
    public static func acquire(databaseAt path: String) throws(StorageError) -> SQLiteServeLock {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .notWritable(path: path, reason: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let error = errno
            close(descriptor)
            if error == EWOULDBLOCK { throw .servedByAnotherProcess(path: path) }
            throw .database(operation: "locking '\(path)' for this server", reason: String(cString: strerror(error)))
        }
        return SQLiteServeLock(descriptor: descriptor)
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }
}

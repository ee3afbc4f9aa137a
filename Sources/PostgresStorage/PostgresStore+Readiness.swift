import Foundation
import Logging
import PostgresNIO
import Storage

// Readiness: cheap, bounded probes that change nothing, and the wait for a server at startup.
extension PostgresStore {
    /// How long `isReachable()` waits for `SELECT 1`.
    public static let reachabilityTimeout: Duration = .seconds(1)
    /// How long `isWritable()` waits for the locks, as SQLite's `writeProbeTimeout`.
    public static let writeProbeTimeout: Duration = .milliseconds(250)
    /// How long `isWritable()` takes at most in all: a connection from the pool, then five short statements, which on
    /// a loaded machine take longer than the lock wait alone.
    public static let writeProbeLimit: Duration = .seconds(2)

    /// `SELECT 1` through the pool answers within `reachabilityTimeout`.
    public func isReachable() async -> Bool {
        let probe = PostgresStore(url: url, pool: pool, waitLimit: Self.reachabilityTimeout)
        do {
            return try await probe.run("checking the database") { connection in try await connection.integer("SELECT 1") } == 1
        } catch {
            return false
        }
    }

    /// True when this instance could write now: a read-write transaction that takes the row-exclusive locks every
    /// writer takes on the tables (they conflict with a migration's or a `LOCK TABLE`'s) and gets a transaction id
    /// (refused on a read-only server or standby), then rolls back. False on any failure or after `writeProbeTimeout`.
    public func isWritable() async -> Bool {
        let probe = PostgresStore(url: url, pool: pool, waitLimit: Self.writeProbeLimit)
        let millis = Self.writeProbeTimeout.components.seconds * 1_000 + Self.writeProbeTimeout.components.attoseconds / 1_000_000_000_000_000
        do {
            try await probe.run("checking that the database is writable", .statement) { connection in
                try await connection.execute("BEGIN READ WRITE")
                do {
                    // SET takes no bound parameters: the number is this constant, formatted here.
                    try await connection.execute(PostgresQuery(unsafeSQL: "SET LOCAL lock_timeout = \(millis)"))
                    try await connection.execute(PostgresQuery(unsafeSQL: "SET LOCAL statement_timeout = \(millis)"))
                    try await connection.execute("LOCK TABLE publications, articles, users, sessions, login_attempts IN ROW EXCLUSIVE MODE")
                    try await connection.execute("SELECT txid_current()")
                } catch {
                    await connection.rollBack()
                    throw error
                }
                await connection.rollBack()
            }
            return true
        } catch {
            return false
        }
    }

    /// Waits until the server accepts a connection and answers through the pool, trying again every quarter second
    /// (a server starting beside this one refuses connections for a while) until `timeout` has passed.
    ///
    /// Each try opens one connection of its own outside the pool, because the pool keeps retrying silently and
    /// would only let this time out: its own connection says why it failed, and a reason that waiting cannot cure
    /// (wrong password, no such database, no TLS where the URL requires it) ends the wait at once.
    /// - Throws: `StorageError.unreachable` naming host, port and database (never the password), with the last reason.
    public func waitUntilReachable(timeout: Duration) async throws(StorageError) {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var lastFailure = "no answer"
        while clock.now < deadline {
            switch await probeConnection(within: clock.now.duration(to: deadline)) {
            case .answered:
                // The pool may still be backing off from the failures before: give it what is left of the time.
                let ready = PostgresStore(url: url, pool: pool, waitLimit: max(clock.now.duration(to: deadline), .seconds(1)))
                do {
                    _ = try await ready.run("connecting to \(location)") { connection in try await connection.integer("SELECT 1") }
                    return
                } catch .busy {
                    lastFailure = "the connection pool did not connect"
                } catch {
                    throw error
                }
            case .failed(let error, let waitingMayHelp):
                guard waitingMayHelp, case .unreachable(_, let reason) = error else { throw error }
                lastFailure = reason
            case .timedOut:
                break
            }
            let pause = min(.milliseconds(250), clock.now.duration(to: deadline))
            guard pause > .zero else { break }
            do { try await Task.sleep(for: pause) } catch { throw .busy(operation: "connecting to \(location)") }
        }
        throw .unreachable(location: location, reason: "\(lastFailure); gave up after \(timeout)")
    }

    private enum ProbeOutcome: Sendable {
        case answered
        case failed(StorageError, waitingMayHelp: Bool)
        case timedOut
    }

    /// One connection outside the pool: connect, `SELECT 1`, close.
    private func probeConnection(within limit: Duration) async -> ProbeOutcome {
        let configuration: PostgresConnection.Configuration
        do {
            configuration = try url.connectionConfiguration(connectTimeout: limit)
        } catch {
            return .failed(error, waitingMayHelp: false)
        }
        let logger = pool.logger, location = location, operation = "connecting to \(location)"
        do {
            return try await WaitLimit.run(limit, operation) { () async throws(StorageError) -> ProbeOutcome in
                do {
                    try await PostgresConnection.withSingleConnection(configuration, logger: logger) { connection in
                        _ = try await connection.query("SELECT 1", logger: logger).collect()
                    }
                    return .answered
                } catch {
                    return .failed(PostgresFailure.storageError(error, operation: operation, location: location),
                                   waitingMayHelp: PostgresFailure.mayPassByWaiting(error))
                }
            }
        } catch {
            return .timedOut
        }
    }
}

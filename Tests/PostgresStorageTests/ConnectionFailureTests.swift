import Foundation
import PostgresStorage
import Storage
import StorageTestSupport
import Testing

/// What an operator sees when the database is not there: the place named (host, port, database), never the password.
@Suite("PostgreSQL connection failures")
struct ConnectionFailureTests {
    /// Needs no server: nothing listens on the port.
    @Test func anUnreachableServerIsNamedWithoutThePassword() async throws {
        let port = try closedPort()
        let url = try PostgresURL("postgres://newsroom:Hunter2-very-secret@127.0.0.1:\(port)/news?sslmode=disable")
        let started = ContinuousClock.now
        do {
            // Long enough for one connection attempt to be answered on a loaded machine.
            let store = try await PostgresStore.open(url: url, startupTimeout: .seconds(5))
            await store.close()
            Issue.record("opened a store on a port where nothing listens")
        } catch {
            guard case .unreachable(let location, let reason) = error else {
                Issue.record("expected .unreachable, got \(error)")
                return
            }
            #expect(location == "postgres://newsroom@127.0.0.1:\(port)/news")
            #expect(error.description.contains("127.0.0.1:\(port)/news"))
            // Refused at once when the machine is idle; on a loaded one the connect may time out first.
            let said = reason.lowercased()
            #expect(said.contains("refused") || said.contains("timeout") || said.contains("no answer"), "\(reason)")
            #expect(!error.description.contains("Hunter2") && !error.description.contains("secret"))
        }
        // The margin is for a parallel suite loading both cores; what matters is that it ends, and does not hang.
        #expect(ContinuousClock.now - started < .seconds(20), "gave up after about the startup timeout")
    }

    /// A store whose server is gone: readiness says so quickly, and a request's bounded wait ends in `busy`.
    @Test func probesAndBoundedCallsAnswerWhileTheServerIsGone() async throws {
        let port = try closedPort()
        let url = try PostgresURL("postgres://newsroom:Hunter2@127.0.0.1:\(port)/news?sslmode=disable&connect_timeout=1")
        let store = PostgresStore(url: url)
        store.startClient()

        let started = ContinuousClock.now
        #expect(await store.isReachable() == false)
        #expect(await store.isWritable() == false)
        await #expect(throws: StorageError.busy(operation: "listing publications")) {
            try await store.limitingWaits(to: .milliseconds(200)).publications()
        }
        #expect(ContinuousClock.now - started < .seconds(15), "bounded waits, not the pool's endless retries")
        await store.close()
    }

    @Test(needsServer) func aMissingDatabaseFailsAtOnceWithTheServersReason() async throws {
        let server = try PostgresURL(try #require(StorageEngine.postgresServer, "\(StorageEngine.postgresURLVariable) is not set"))
        let url = server.replacingDatabase(with: "newsroom_no_such_database")
        let started = ContinuousClock.now
        do {
            let store = try await PostgresStore.open(url: url, startupTimeout: .seconds(20))
            await store.close()
            Issue.record("opened a database that does not exist")
        } catch {
            guard case .unreachable(let location, let reason) = error else {
                Issue.record("expected .unreachable, got \(error)")
                return
            }
            #expect(location == url.redacted)
            #expect(reason.contains("does not exist") && reason.contains("3D000"), "\(reason)")
        }
        // Well under the 20 s startup timeout (the margin is for a parallel suite loading both cores).
        #expect(ContinuousClock.now - started < .seconds(12), "waiting cannot create the database: no retries until the timeout")
    }

    @Test(needsServer) func readinessProbesOnALiveServer() async throws {
        let (store, _) = try await StorageEngine.makePostgresStore()
        #expect(await store.isReachable())
        #expect(await store.isWritable())
        #expect(await store.limitingWaits(to: .seconds(1)).isWritable())
        // A migration (or anyone) holding an exclusive lock on a table: writes would wait, so the probe says no, in time.
        let blocker = try await PostgresStore.open(url: store.url)
        let holding = Task {
            // One statement holds its locks until it ends.
            try await blocker.textRows(unsafeSQL: "DO $$ BEGIN LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE; PERFORM pg_sleep(3); END $$")
        }
        try await Task.sleep(for: .milliseconds(500))
        let started = ContinuousClock.now
        #expect(await store.isWritable() == false)
        // The lock wait is 250 ms (the whole probe at most 2 s); the bound stays under the 3 s the lock is held.
        #expect(ContinuousClock.now - started < .seconds(2.5))
        _ = try? await holding.value
        #expect(await store.isWritable())
        await blocker.close()
    }
}

import Foundation
import Storage

extension PostgresStore {
    /// Takes the lease in one statement: inserted when nobody held it, taken over when the holder's time ran out,
    /// renewed when `holder` has it already; otherwise the row stays as it is and nothing comes back.
    public func claimLease(_ name: String, holder: String, now: Date, until: Date) async throws(StorageError) -> Bool {
        try await run("taking the '\(name)' lease") { connection in
            try await !connection.rows("""
                INSERT INTO job_leases (name, holder, leaseUntil) VALUES (\(name), \(holder), \(until.seconds))
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, leaseUntil = excluded.leaseUntil
                WHERE job_leases.leaseUntil <= \(now.seconds) OR job_leases.holder = excluded.holder
                RETURNING holder
                """).isEmpty
        }
    }
}

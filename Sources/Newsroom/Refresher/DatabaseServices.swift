import ServiceLifecycle
import Storage

/// An open database: the store, how instances sharing it talk (nil for SQLite), and how to let go of it.
public struct OpenedDatabase: Sendable {
    public let store: any Store
    public let changes: (any ChangeChannel)?
    /// Closes the connections of a PostgreSQL store that runs its own client (`FeedPipeline.openDatabase`, for commands
    /// that end); nothing for SQLite, whose files close with the store, nor for a server's, whose service group stops them.
    public let close: @Sendable () async -> Void
}

/// A server's database before it is opened: PostgreSQL's connections must run in the server's service group,
/// and the store can only be waited for and migrated while they do.
public struct DatabaseForServing: Sendable {
    /// PostgreSQL's connection pool, none for SQLite. List them first in the service group: ServiceLifecycle stops
    /// services in reverse order, so the connections close after the web server and the refresher stopped using them.
    public let services: [any Service]
    let opening: @Sendable () async throws -> OpenedDatabase

    /// Waits for PostgreSQL (up to 30 s) and migrates, or opens the SQLite file. Call it while `services` run.
    public func open() async throws -> OpenedDatabase { try await opening() }
}

/// Listens for the changes other instances make, for as long as the server runs.
struct ChangeFollower: Service {
    let changes: any ChangeChannel
    let apply: @Sendable (StoreChange) -> Void
    let reset: @Sendable () -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await changes.follow(receive: apply, reset: reset)
        }
    }
}

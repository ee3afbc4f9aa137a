import ServiceLifecycle
import Storage

/// An open database: the store, how instances sharing it talk (nil for SQLite), and how to let go of it.
public struct OpenedDatabase: Sendable {
    public let store: any Store
    public let changes: (any ChangeChannel)?
    /// Closes the connections (PostgreSQL's pool); nothing for SQLite, whose files close with the store.
    public let close: @Sendable () async -> Void
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

/// Waits for shutdown, then closes the database: listed first, ServiceLifecycle stops it last, once the refresher,
/// housekeeping and the web server no longer use it.
struct DatabaseCloser: Service {
    let database: OpenedDatabase

    func run() async throws {
        try? await gracefulShutdown()
        await database.close()
    }
}

import Logging
import PostgresNIO
import Storage

/// Instances on one PostgreSQL database tell each other what changed through `LISTEN`/`NOTIFY` on one channel.
///
/// Each instance keeps one pool connection listening. When it drops (a restart of PostgreSQL, a network cut), the
/// follower reconnects with a growing pause and calls `reset` once it listens again: whatever was sent meanwhile is
/// lost, so the caller starts its caches over. Notifications this instance sent come back to it too; they only
/// repeat an invalidation it already made.
public struct PostgresChangeChannel: ChangeChannel {
    /// Fixed: every newsroom instance on the database listens on it.
    static let channel = "newsroom_changes"
    let client: PostgresClient
    let logger: Logger

    public init(store: PostgresStore) {
        client = store.client
        logger = store.pool.logger
    }

    public func publish(_ change: StoreChange) async {
        do {
            _ = try await client.query("SELECT pg_notify(\(Self.channel), \(change.payload))", logger: logger).collect()
        } catch {
            // The payload may hold a session's hash: the log names the kind of change only.
            logger.warning("could not tell other instances about a change; their caches catch up on their own",
                           metadata: ["change": "\(change.kind)", "error": "\(String(reflecting: type(of: error)))"])
        }
    }

    public func follow(receive: @escaping @Sendable (StoreChange) -> Void, reset: @escaping @Sendable () -> Void) async {
        var pause: Duration = .milliseconds(100)
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        pause = .milliseconds(100)
                        reset()
                        for try await notification in notifications {
                            if let change = StoreChange(payload: notification.payload) { receive(change) }
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("lost the connection that hears other instances' changes; reconnecting",
                               metadata: ["retry_in": "\(pause)"])
            }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(5))
        }
    }
}

extension StoreChange {
    /// The change's kind without its value, for logs.
    var kind: String {
        switch self {
        case .publication: "publication"
        case .catalog: "catalog"
        case .sessionEnded: "session ended"
        }
    }
}

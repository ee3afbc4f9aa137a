/// A change one instance stored that the others must hear about, so their caches follow within a second.
public enum StoreChange: Sendable, Equatable {
    /// A fetch changed the publication's stored state (articles, headline, or its fetch status).
    case publication(String)
    /// feeds.json was applied: names, order and the set of publications may differ.
    case catalog
    /// A session ended (sign-out, timeout, refused re-check); the payload is the id's hash, never the id.
    case sessionEnded(idHash: String)

    /// The text sent between instances: a tag and the value, short enough for PostgreSQL's 8 000-byte payloads.
    public var payload: String {
        switch self {
        case .publication(let id): "p:" + id
        case .catalog: "c"
        case .sessionEnded(let idHash): "s:" + idHash
        }
    }

    /// The change a payload names; nil for anything else (a newer version's message, or noise on the channel).
    public init?(payload: String) {
        if payload == "c" { self = .catalog; return }
        let value = String(payload.dropFirst(2))
        if payload.hasPrefix("p:"), !value.isEmpty { self = .publication(value); return }
        if payload.hasPrefix("s:"), !value.isEmpty { self = .sessionEnded(idHash: value); return }
        return nil
    }
}

/// How instances sharing one database tell each other what changed. SQLite has one server per file, so it has none;
/// PostgreSQL uses LISTEN/NOTIFY.
public protocol ChangeChannel: Sendable {
    /// Tells the other instances (best effort: a change that cannot be sent is logged by the channel and dropped;
    /// the caches it would have cleared age out on their own).
    func publish(_ change: StoreChange) async
    /// Runs until the task is cancelled: `receive` gets every change other instances publish; `reset` is called each
    /// time the channel (re)connects, since changes sent while it was down are lost, so caches must start over.
    func follow(receive: @escaping @Sendable (StoreChange) -> Void, reset: @escaping @Sendable () -> Void) async
}

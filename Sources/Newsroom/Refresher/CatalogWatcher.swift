import Foundation
import Logging
import Synchronization
import Feeds
import Storage

/// Keeps the stored publications in step with feeds.json. An invalid edit keeps the last good catalog and logs why.
public final class CatalogWatcher: Sendable {
    public let path: String
    let store: any Store
    let logger: Logger
    let now: @Sendable () -> Date
    private struct State {
        /// The bytes last acted on (nil: unreadable). Comparing contents, not size and mtime, catches
        /// same-size edits within one timestamp tick.
        var seenBytes: Data?
        var catalog: Catalog?
        var lastError: String?
    }
    private let state = Mutex(State())

    /// Told after an edit of feeds.json was applied, so caches of names and lists can drop them.
    let onReload: @Sendable () -> Void

    public init(path: String, store: any Store, now: @escaping @Sendable () -> Date, logger: Logger, onReload: @escaping @Sendable () -> Void = {}) {
        self.path = path
        self.store = store
        self.now = now
        self.logger = logger
        self.onReload = onReload
    }

    /// The last catalog that validated, if any.
    public var catalog: Catalog? { state.withLock { $0.catalog } }
    /// Why the file on disk is not in effect, if it is not.
    public var lastError: String? { state.withLock { $0.lastError } }

    /// Loads the file for the first time; a catalog that fails validation is an error here (never serve with one).
    @discardableResult
    public func loadInitial() async throws -> Catalog {
        let bytes = FileManager.default.contents(atPath: path)
        let catalog = try Self.parse(bytes, path: path)
        _ = try await store.syncCatalog(catalog.publications.map(PublicationConfig.init), now: now())
        state.withLock { $0 = State(seenBytes: bytes, catalog: catalog, lastError: nil) }
        return catalog
    }

    /// Re-reads feeds.json and applies it when its contents changed. Returns the ids of publications added.
    @discardableResult
    public func reloadIfChanged() async -> [String] {
        let bytes = FileManager.default.contents(atPath: path)
        guard bytes != state.withLock({ $0.seenBytes }) else { return [] }
        let catalog: Catalog
        do {
            catalog = try Self.parse(bytes, path: path)
        } catch {
            // Remember these bytes so the same bad file is reported once, not on every poll.
            state.withLock { $0.seenBytes = bytes; $0.lastError = "\(error)" }
            logger.error("feeds.json not reloaded, keeping the last good catalog: \(error)")
            return []
        }
        do {
            let added = try await store.syncCatalog(catalog.publications.map(PublicationConfig.init), now: now())
            state.withLock { $0.seenBytes = bytes; $0.catalog = catalog; $0.lastError = nil }
            onReload()
            logger.info("feeds.json reloaded: \(catalog.publications.count) publications", metadata: added.isEmpty ? [:] : ["added": "\(added.joined(separator: ","))"])
            return added
        } catch {
            // The file is fine but the database refused it (busy, full): leave seenBytes alone so the next poll retries.
            state.withLock { $0.lastError = "\(error)" }
            logger.error("feeds.json not applied, will retry: \(error)")
            return []
        }
    }

    /// feeds.json as the watcher reads it.
    static func load(path: String) throws(CatalogError) -> Catalog {
        try parse(FileManager.default.contents(atPath: path), path: path)
    }

    /// The catalog in `bytes`; unreadable files get Catalog's own error, which names the path.
    private static func parse(_ bytes: Data?, path: String) throws(CatalogError) -> Catalog {
        guard let bytes else { return try Catalog.load(path: path) }
        return try Catalog.parse(bytes)
    }
}

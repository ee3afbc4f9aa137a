import Foundation
import Logging
import Synchronization
import Feeds
import Storage

/// Keeps the stored publications in step with feeds.json. An invalid edit keeps the last good catalog and logs why.
public final class CatalogWatcher: Sendable {
    public let path: String
    let store: Store
    let logger: Logger
    let now: @Sendable () -> Date
    private struct State {
        var fingerprint: String?
        var catalog: Catalog?
        var lastError: String?
    }
    private let state = Mutex(State())

    public init(path: String, store: Store, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.path = path
        self.store = store
        self.now = now
        self.logger = logger
    }

    /// The last catalog that validated, if any.
    public var catalog: Catalog? { state.withLock { $0.catalog } }
    /// Why the file on disk is not in effect, if it is not.
    public var lastError: String? { state.withLock { $0.lastError } }

    /// Loads the file for the first time; a catalog that fails validation is an error here (never serve with one).
    @discardableResult
    public func loadInitial() throws -> Catalog {
        let catalog = try Catalog.load(path: path)
        _ = try store.syncCatalog(catalog.publications.map(Self.config), now: now())
        state.withLock { $0 = State(fingerprint: fingerprint(), catalog: catalog, lastError: nil) }
        return catalog
    }

    /// Re-reads feeds.json when its size or modification time changed. Returns the ids of publications added.
    @discardableResult
    public func reloadIfChanged() -> [String] {
        let current = fingerprint()
        guard current != state.withLock({ $0.fingerprint }) else { return [] }
        state.withLock { $0.fingerprint = current }
        do {
            let catalog = try Catalog.load(path: path)
            let added = try store.syncCatalog(catalog.publications.map(Self.config), now: now())
            state.withLock { $0.catalog = catalog; $0.lastError = nil }
            logger.info("feeds.json reloaded: \(catalog.publications.count) publications", metadata: added.isEmpty ? [:] : ["added": "\(added.joined(separator: ","))"])
            return added
        } catch {
            state.withLock { $0.lastError = "\(error)" }
            logger.error("feeds.json not reloaded, keeping the last good catalog: \(error)")
            return []
        }
    }

    private func fingerprint() -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(size)@\(modified)"
    }

    static func config(_ p: Publication) -> PublicationConfig {
        PublicationConfig(id: p.id, name: p.name, url: p.url, refreshMinutes: p.refreshMinutes)
    }
}

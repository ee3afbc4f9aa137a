import Foundation
import Pages
import Storage
import Synchronization

/// Rendered page bodies per publication, shared by every member (the member's navbar is wrapped around
/// them per request). The refresher drops an entry when it stores a change; entries also age out so
/// "12 minutes ago" stays true.
final class NewsPageCache: Sendable {
    private struct Entry { var html: String; var renderedAt: Date }
    private let entries = Mutex<[String: Entry]>([:])
    let maxAge: TimeInterval

    init(maxAge: TimeInterval = 30) { self.maxAge = maxAge }

    func html(for key: String, now: Date, render: () throws -> String) rethrows -> String {
        if let entry = entries.withLock({ $0[key] }), now.timeIntervalSince(entry.renderedAt) < maxAge, entry.renderedAt <= now {
            return entry.html
        }
        let html = try render()
        entries.withLock { $0[key] = Entry(html: html, renderedAt: now) }
        return html
    }

    func invalidate(_ key: String) { _ = entries.withLock { $0.removeValue(forKey: key) } }
    func invalidateAll() { entries.withLock { $0.removeAll() } }
}

/// The navbar's links, shared by every page: publications are read from SQLite at most once per `maxAge` seconds
/// of the injected clock instead of once per page view, so a feeds.json edit reaches the navbar within seconds.
final class NavigationCache: Sendable {
    private struct Entry { var publications: [PublicationRecord]; var readAt: Date; var links: [String: [NavPublication]] = [:] }
    private let entry = Mutex<Entry?>(nil)
    let maxAge: TimeInterval

    init(maxAge: TimeInterval = 5) { self.maxAge = maxAge }

    /// The links with `current` marked. A failed read is not cached: the next page tries again.
    func links(current: String?, now: Date, read: () throws -> [PublicationRecord]) rethrows -> [NavPublication] {
        var fresh: Entry
        if let cached = entry.withLock({ $0 }), cached.readAt <= now, now.timeIntervalSince(cached.readAt) < maxAge {
            fresh = cached
        } else {
            fresh = Entry(publications: try read(), readAt: now)
        }
        let key = current ?? ""
        if let links = fresh.links[key] { return links }
        // Building a link percent-encodes its path: done once per publication and page, not per view.
        let links = fresh.publications.map { NavPublication(id: $0.id, name: $0.name, isCurrent: $0.id == current) }
        // Only catalog ids (or none) are remembered, so odd `current` values cannot grow the cache.
        if current == nil || fresh.publications.contains(where: { $0.id == current }) { fresh.links[key] = links }
        entry.withLock { $0 = fresh }
        return links
    }

    func invalidate() { entry.withLock { $0 = nil } }
}

import Foundation
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

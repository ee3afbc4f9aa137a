import Synchronization

/// How often the rendered-page cache had a viewer's page ready (hit) or the page had to be built (miss). Kept by
/// the cache itself, like its byte usage; `/metrics` reads it when scraped.
final class PageCacheLookups: Sendable {
    private let hits = Atomic<Int>(0)
    private let misses = Atomic<Int>(0)

    /// Counts one lookup by its answer and hands the answer back, so a lookup site stays one expression.
    func counted<Page>(_ page: Page?) -> Page? {
        if page == nil { misses.add(1, ordering: .relaxed) } else { hits.add(1, ordering: .relaxed) }
        return page
    }

    var counts: (hits: Int, misses: Int) { (hits.load(ordering: .relaxed), misses.load(ordering: .relaxed)) }
}

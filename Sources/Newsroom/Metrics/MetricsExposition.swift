import Foundation
import Logging
import Prometheus
import Storage

/// What one scrape of `/metrics` answers: the app's counters, the process-wide HTTP series, and gauges read from
/// the database at that moment (`DatabaseGauges`).
public struct MetricsExposition: Sendable {
    let metrics: AppMetrics
    let pageCache: PageCacheLookups
    let store: any Store
    /// Converted as `SessionManager` converts it, so "active" means what a request would accept.
    let idleTimeout: TimeInterval
    let now: @Sendable () -> Date
    let logger: Logger

    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The text exposition. A database that cannot be read leaves its gauges out of this scrape (absent, never
    /// stale) and says why in the log; the counters are still answered.
    public func render() async -> [UInt8] {
        var buffer = metrics.registry.emitToBuffer()
        let lookups = PrometheusCollectorRegistry()
        let counts = pageCache.counts
        lookups.makeCounter(name: AppMetrics.Name.pageCacheHits, help: "Member pages served from the rendered-page cache.")
            .increment(by: Int64(counts.hits))
        lookups.makeCounter(name: AppMetrics.Name.pageCacheMisses, help: "Member pages the cache did not have ready, so they were built.")
            .increment(by: Int64(counts.misses))
        lookups.emit(into: &buffer)
        do {
            try await DatabaseGauges.read(store: store, now: now(), idleTimeout: idleTimeout).emit(into: &buffer)
        } catch {
            logger.warning("metrics: database gauges left out of this scrape: \(error)")
        }
        if HTTPMetrics.isBootstrapped { HTTPMetrics.registry.emit(into: &buffer) }
        return buffer
    }
}

/// Gauges whose truth is the database, built fresh for each scrape in a registry of their own: a publication that
/// left feeds.json leaves the output at once, and several instances on one database report the same values.
enum DatabaseGauges {
    static func read(store: any Store, now: Date, idleTimeout: TimeInterval) async throws(StorageError) -> PrometheusCollectorRegistry {
        let publications = try await store.publications()
        let sessions = try await store.countActiveSessions(now: now, idleTimeout: idleTimeout)
        let registry = PrometheusCollectorRegistry()
        for publication in publications {
            let label = [("publication", publication.id)]
            registry.makeGauge(name: AppMetrics.Name.articles, labels: label, help: "Articles stored per publication.")
                .set(Double(publication.articleCount))
            registry.makeGauge(name: AppMetrics.Name.feedConsecutiveFailures, labels: label,
                               help: "Failed fetches in a row per publication (0 once a fetch succeeds).")
                .set(Double(publication.consecutiveFailures))
            // A feed that never succeeded has no such time: absent, rather than a 1970 that looks like a real answer.
            if let success = publication.lastSuccessAt {
                registry.makeGauge(name: AppMetrics.Name.feedLastSuccess, labels: label,
                                   help: "Unix time of the publication's last successful fetch (updated or not modified).")
                    .set(success.timeIntervalSince1970)
            }
        }
        registry.makeGauge(name: AppMetrics.Name.sessionsActive, help: "Sessions neither idle past the limit nor past their absolute expiry.")
            .set(Double(sessions))
        return registry
    }
}

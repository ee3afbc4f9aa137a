import Foundation
import Logging
import Curl
import Feeds
import Storage

/// What one refresh of one publication came to.
public struct RefreshResult: Sendable {
    public enum Status: Sendable, Equatable {
        case updated(inserted: Int, updated: Int)
        case notModified
        case failed(String)
    }
    public var publicationID: String
    public var status: Status
    public var httpStatus: Int?
    public var articleCount: Int
    public var seconds: Double
    public var nextDueAt: Date
}

/// Fetches feeds and stores what they say. Each feed's failure is recorded against that feed only;
/// nothing here throws, so one bad feed never stops the others or the loop that calls it.
public final class FeedRefresher: Sendable {
    public static let feedAccept = "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
    public static let maxFeedBytes = 10 << 20
    static let summaryLimit = 600

    let store: any Store
    let deps: AppDependencies
    let logger: Logger
    /// Told the id of every publication whose stored state changed, so page caches can drop it.
    let onChange: @Sendable (String) -> Void
    /// Told each result of a run over several publications as it finishes (metrics, `newsroom fetch`'s progress).
    public let observers = RefreshObservers()
    /// Publications in progress at once during a run over several. Each holds a curl handle, then its whole body,
    /// then its parsed entries until stored. Unbounded, a round of 1 000 feeds started them all: the transfers
    /// finished faster than two threads could parse and store, and 47 MB of bodies piled up (heaptrack), 105 MB RSS.
    /// Sixteen, twice the HTTP client's 8 transfers, keeps every transfer slot busy while the others parse and store:
    /// 55 MB peak in the same refresh time (8 and 32 measured the same; scripts/bench-memory.sh).
    public static let defaultMaxConcurrentRefreshes = 16
    let maxConcurrentRefreshes: Int
    /// Fetches stored at once: one per core (see `WriteTurns`).
    let writeTurns = WriteTurns(limit: ProcessInfo.processInfo.activeProcessorCount)

    public init(store: any Store, dependencies: AppDependencies, logger: Logger,
                maxConcurrentRefreshes: Int = FeedRefresher.defaultMaxConcurrentRefreshes,
                onChange: @escaping @Sendable (String) -> Void = { _ in }) {
        self.store = store
        self.deps = dependencies
        self.logger = logger
        self.maxConcurrentRefreshes = max(1, maxConcurrentRefreshes)
        self.onChange = onChange
    }

    /// Refreshes every publication that is due now (plain function: the service loop and `newsroom fetch` call it).
    ///
    /// Due publications are claimed in batches of twice the concurrency, each claim a lease (`AppDependencies.fetchLease`,
    /// 75 s), so that with several instances on one PostgreSQL each feed is fetched by one of them, and no batch outlives
    /// its lease. Recording a fetch ends its lease; an instance that dies mid-fetch leaves it to run out, and another
    /// instance takes the feed at its next round after that (within 2 minutes, with rounds every 2 s).
    public func refreshDue() async -> [RefreshResult] {
        await refreshDueRound().results
    }

    /// `refreshDue`, also saying whether the database failed to hand out the due publications (the service then
    /// waits longer before its next round, rather than retrying a database that is down every 2 s).
    func refreshDueRound() async -> (results: [RefreshResult], databaseFailed: Bool) {
        var results: [RefreshResult] = []
        var attempted = Set<String>()
        while !Task.isCancelled {
            let now = deps.now()
            let batch: [PublicationRecord]
            do {
                batch = try await store.claimDuePublications(now: now, leaseUntil: now.addingTimeInterval(deps.fetchLease),
                                                             limit: 2 * maxConcurrentRefreshes)
            } catch {
                logger.error("cannot read due publications: \(error)")
                return (results, true)
            }
            // A publication met again within this round failed to record its fetch: leave it to the next round.
            let fresh = batch.filter { attempted.insert($0.id).inserted }
            if fresh.isEmpty { break }
            results += await refresh(fresh)
        }
        return (results, false)
    }

    /// Refreshes the given publications concurrently, at most `maxConcurrentRefreshes` at a time, in the order given
    /// (the HTTP client caps transfers at 8, 2 per host).
    /// A publication listed twice is fetched once (two concurrent fetches of one feed would race on its state).
    public func refresh(_ publications: [PublicationRecord]) async -> [RefreshResult] {
        var seen = Set<String>()
        let publications = publications.filter { seen.insert($0.id).inserted }
        return await withTaskGroup(of: RefreshResult.self) { group in
            var waiting = publications.makeIterator()
            for _ in 0..<maxConcurrentRefreshes {
                guard let publication = waiting.next() else { break }
                group.addTask { await self.refresh(publication) }
            }
            var results: [RefreshResult] = []
            while let result = await group.next() {
                // One finished: start the next, so the window stays full until the list runs out.
                if let publication = waiting.next() { group.addTask { await self.refresh(publication) } }
                observers.notify(result)
                results.append(result)
            }
            let order = Dictionary(uniqueKeysWithValues: publications.enumerated().map { ($1.id, $0) })
            return results.sorted { order[$0.publicationID, default: 0] < order[$1.publicationID, default: 0] }
        }
    }

    /// Refreshes one publication. Validators and the failure count are read from the store, not from `listed`,
    /// so a record the caller listed earlier can never resend stale validators or reset the backoff.
    public func refresh(_ listed: PublicationRecord) async -> RefreshResult {
        let started = deps.now()
        let publication = ((try? await store.publication(id: listed.id)) ?? nil) ?? listed
        var request = CurlRequest(url: publication.url, maxBodyBytes: Self.maxFeedBytes, connectPolicy: connectPolicy(for: publication))
        request.headers.append((name: "Accept", value: Self.feedAccept))
        if let etag = publication.etag { request.headers.append((name: "If-None-Match", value: etag)) }
        if let lastModified = publication.lastModified { request.headers.append((name: "If-Modified-Since", value: lastModified)) }

        let response: CurlResponse
        do throws(CurlError) {
            response = try await deps.http(request)
        } catch {
            // Shutting down is not the feed's fault: record nothing, so no backoff or failure count survives a restart.
            if error == .cancelled || Task.isCancelled {
                return RefreshResult(publicationID: publication.id, status: .failed(String(describing: CurlError.cancelled)), httpStatus: nil,
                                     articleCount: await count(publication.id), seconds: deps.now().timeIntervalSince(started), nextDueAt: publication.nextDueAt)
            }
            return await fail(publication, String(describing: error), httpStatus: nil, retryAfter: nil, started: started)
        }
        let now = deps.now()
        if response.status == 304 {
            let next = FetchSchedule.nextDue(after: now, refreshMinutes: publication.refreshMinutes, ttlMinutes: nil, header: response.header)
            do {
                try await store.recordNotModified(publicationID: publication.id, httpStatus: 304, fetchedAt: now, nextDueAt: next)
            } catch {
                return await fail(publication, "storage: \(error)", httpStatus: 304, retryAfter: nil, started: started)
            }
            onChange(publication.id)
            return RefreshResult(publicationID: publication.id, status: .notModified, httpStatus: 304,
                                 articleCount: await count(publication.id), seconds: now.timeIntervalSince(started), nextDueAt: next)
        }
        guard (200..<300).contains(response.status) else {
            return await fail(publication, "HTTP \(response.status)", httpStatus: response.status, retryAfter: response.header("Retry-After"), started: started)
        }

        let feed: ReadFeed
        do {
            let body = response.body, baseURL = response.effectiveURL
            feed = try await BackgroundCPU.shared.run { () throws(FeedParseError) in try ReadFeed(body, baseURL: baseURL) }
        } catch {
            return await fail(publication, "unreadable feed: \(error)", httpStatus: response.status, retryAfter: nil, started: started)
        }
        guard !feed.articles.isEmpty else {
            // An empty (or wholly unrecoverable) feed would erase the current headline: keep the last good one.
            let why = feed.bozo ? "ill-formed feed with no readable articles" + (feed.bozoMessage.map { ": \($0)" } ?? "") : "the feed lists no articles"
            return await fail(publication, why, httpStatus: response.status, retryAfter: nil, started: started)
        }
        if feed.bozo { logger.warning("feed \(publication.id) is ill-formed; stored what could be read", metadata: ["reason": "\(feed.bozoMessage ?? "")"]) }

        let next = FetchSchedule.nextDue(after: now, refreshMinutes: publication.refreshMinutes, ttlMinutes: feed.ttlMinutes, header: response.header)
        do {
            let summary = try await writeTurns.withTurn { () throws(StorageError) in
                try await store.recordFetchSuccess(
                    publicationID: publication.id, articles: feed.articles,
                    etag: response.header("ETag"), lastModified: response.header("Last-Modified"),
                    httpStatus: response.status, fetchedAt: now, nextDueAt: next)
            }
            onChange(publication.id)
            return RefreshResult(publicationID: publication.id, status: .updated(inserted: summary.inserted, updated: summary.updated),
                                 httpStatus: response.status, articleCount: await count(publication.id),
                                 seconds: deps.now().timeIntervalSince(started), nextDueAt: next)
        } catch {
            return await fail(publication, "storage: \(error)", httpStatus: response.status, retryAfter: nil, started: started)
        }
    }

    private func fail(_ publication: PublicationRecord, _ message: String, httpStatus: Int?, retryAfter: String?, started: Date) async -> RefreshResult {
        let now = deps.now()
        let next = FetchSchedule.backoff(after: now, failures: publication.consecutiveFailures + 1, jitter: deps.jitter(), retryAfterHeader: retryAfter)
        logger.warning("refresh of \(publication.id) failed: \(message)")
        do {
            _ = try await store.recordFetchFailure(publicationID: publication.id, error: message, httpStatus: httpStatus, at: now, nextDueAt: next)
        } catch {
            logger.error("cannot record the failure of \(publication.id): \(error)")
        }
        onChange(publication.id)
        return RefreshResult(publicationID: publication.id, status: .failed(message), httpStatus: httpStatus,
                             articleCount: await count(publication.id), seconds: now.timeIntervalSince(started), nextDueAt: next)
    }

    /// A feed's own configured host is the operator's choice; any other non-public address (reached by a redirect or
    /// by a name that resolves there) would let a publisher read the server's internal network.
    func connectPolicy(for publication: PublicationRecord) -> ConnectPolicy {
        deps.allowPrivateFeedAddresses ? .anyAddress : .publicAddressesOnly(exceptHostOf: publication.url)
    }

    private func count(_ id: String) async -> Int { (try? await store.articleCount(of: id)) ?? 0 }

    /// A fetched body read into what Storage keeps (the CPU-bound part of a refresh, run on `BackgroundCPU`).
    struct ReadFeed: Sendable {
        var articles: [ArticleInput]
        var ttlMinutes: Int?
        var bozo: Bool
        var bozoMessage: String?

        init(_ body: [UInt8], baseURL: String?) throws(FeedParseError) {
            let feed = try FeedParser.parse(body, baseURL: baseURL)
            // An item with no title, link, id or text (e.g. what recovery makes of a truncated feed) is not an article.
            articles = feed.entries.filter(FeedRefresher.isReadable).map(FeedRefresher.article)
            ttlMinutes = feed.ttlMinutes
            bozo = feed.bozo
            bozoMessage = feed.bozoMessage
        }
    }

    static func isReadable(_ entry: ParsedEntry) -> Bool {
        [entry.title, entry.link, entry.id, entry.summary, entry.content].contains { !($0 ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }

    /// Feed entry → what Storage keeps: summaries as plain text, trimmed for cards and lists.
    static func article(_ entry: ParsedEntry) -> ArticleInput {
        let rawSummary = entry.summary ?? entry.content
        var summary = rawSummary.map(HTMLText.plainText)
        if let s = summary, s.count > summaryLimit { summary = String(s.prefix(summaryLimit - 1)) + "…" }
        return ArticleInput(guid: entry.id, link: entry.link, title: entry.title.map(HTMLText.plainText), summary: summary?.isEmpty == true ? nil : summary,
                            author: entry.author, published: entry.published, updated: entry.updated, thumbnail: entry.thumbnail)
    }
}

import Foundation
import Testing
import Logging
import Synchronization
import ServiceLifecycle
import Storage
import TestSupport
@testable import Newsroom

/// RefresherService inside a real ServiceGroup: it fetches what is due, follows feeds.json, and stops on graceful shutdown.
@Suite struct RefresherServiceTests {
    /// Publication ids as the refresher reports stored changes: the event the tests wait on instead of sleeping.
    final class ChangeEvents: Sendable {
        private struct State {
            var changed: Set<String> = []
            var waiters: [(id: String, continuation: CheckedContinuation<Void, Never>)] = []
        }
        private let state = Mutex(State())

        func send(_ id: String) {
            let ready = state.withLock { state in
                state.changed.insert(id)
                let ready = state.waiters.filter { $0.id == id }.map(\.continuation)
                state.waiters.removeAll { $0.id == id }
                return ready
            }
            ready.forEach { $0.resume() }
        }

        /// Returns once `id` has changed at least once (at once if it already has).
        func waitFor(_ id: String) async {
            await withCheckedContinuation { continuation in
                let already = state.withLock { state in
                    if state.changed.contains(id) { return true }
                    state.waiters.append((id, continuation))
                    return false
                }
                if already { continuation.resume() }
            }
        }
    }

    struct Running {
        let site: FeedSite
        let harness: RefresherHarness
        let watcher: CatalogWatcher
        let feedsPath: String
        let events: ChangeEvents
    }

    static func setUp(feeds: (FeedSite) -> String, transferTimeout: Duration = .seconds(10)) async throws -> Running {
        let site = try FeedSite()
        let events = ChangeEvents()
        let harness = try RefresherHarness(transferTimeout: transferTimeout, onChange: { events.send($0) })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("refresher-service-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let feedsPath = folder.appendingPathComponent("feeds.json").path
        try Data(feeds(site).utf8).write(to: URL(fileURLWithPath: feedsPath))
        let clock = harness.clock
        let watcher = CatalogWatcher(path: feedsPath, store: harness.store, now: { clock.now }, logger: .quiet)
        try await watcher.loadInitial()
        return Running(site: site, harness: harness, watcher: watcher, feedsPath: feedsPath, events: events)
    }

    /// Runs the service in a ServiceGroup, runs `body` while it is up, then shuts the group down gracefully
    /// and returns only once `run()` has returned.
    static func withService(_ r: Running, _ body: () async throws -> Void) async throws {
        let service = RefresherService(watcher: r.watcher, refresher: r.harness.refresher, pollInterval: .milliseconds(50))
        let group = ServiceGroup(services: [service], gracefulShutdownSignals: [], cancellationSignals: [], logger: .quiet)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do { try await body() } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            // run() must return (not hang) after graceful shutdown; the suite's time limit catches a hang.
            try await tasks.waitForAll()
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func fetchesDuePublicationAndStopsOnGracefulShutdown() async throws {
        let r = try await Self.setUp { site in
            site.setFeed("/bbc", (try? RealFeeds.bytes(RealFeeds.bbc)) ?? [])
            return #"{"bbc": "\#(site.url("/bbc"))"}"#
        }

        try await Self.withService(r) {
            await r.events.waitFor("bbc")
        }

        await #expect(try r.harness.headline("bbc") == RealFeeds.bbcFirstTitle)
        await #expect(try r.harness.record("bbc").lastSuccessAt != nil)
        // The clock did not move, so nothing was due again: one fetch however many polls ran.
        #expect(r.site.requests(to: "/bbc").count == 1)
    }

    @Test(.timeLimit(.minutes(1)))
    func publicationAddedToFeedsJSONWhileRunningIsFetched() async throws {
        let r = try await Self.setUp { site in
            site.setFeed("/bbc", (try? RealFeeds.bytes(RealFeeds.bbc)) ?? [])
            site.setFeed("/npr", (try? RealFeeds.bytes(RealFeeds.npr)) ?? [])
            return #"{"bbc": "\#(site.url("/bbc"))"}"#
        }

        try await Self.withService(r) {
            await r.events.waitFor("bbc")
            let edited = #"{"bbc": "\#(r.site.url("/bbc"))", "npr": "\#(r.site.url("/npr"))"}"#
            try Data(edited.utf8).write(to: URL(fileURLWithPath: r.feedsPath))
            await r.events.waitFor("npr")
        }

        await #expect(try r.harness.record("npr").articleCount > 0)
        #expect(r.watcher.catalog?.publications.map(\.id) == ["bbc", "npr"])
    }

    @Test(.timeLimit(.minutes(1)))
    func shutdownDuringAStalledFetchRecordsNoFailure() async throws {
        let r = try await Self.setUp { site in
            site.set("/slow", .scripted(ScriptedResponse(behaviour: .stallBeforeHeaders(seconds: 60))))
            return #"{"slow": "\#(site.url("/slow"))"}"#
        }

        try await Self.withService(r) {
            // The request arriving is the event: the fetch is now in flight and stalled.
            _ = await r.site.server.waitForRequests(count: 1)
        }

        let record = try await r.harness.record("slow")
        #expect(record.consecutiveFailures == 0)
        #expect(record.lastError == nil)
        #expect(record.nextDueAt == TestClock.start, "still due: the interrupted fetch runs again at the next start")
    }
}

/// A database that is down is asked less and less often, and never less than once a minute.
@Suite struct RefresherBackoffTests {
    @Test func roundsBackOffWhileTheDatabaseFailsAndResumeAtOnce() {
        let poll = Duration.seconds(2)
        #expect(RefresherService.pause(after: 0, poll: poll) == poll)
        #expect(RefresherService.pause(after: 1, poll: poll) == .seconds(4))
        #expect(RefresherService.pause(after: 3, poll: poll) == .seconds(16))
        #expect(RefresherService.pause(after: 5, poll: poll) == .seconds(60))
        #expect(RefresherService.pause(after: 1_000, poll: poll) == .seconds(60))
    }
}

import Foundation
import TestSupport
import Testing
import Hummingbird
import HummingbirdTesting
import AppTestSupport
import Storage
@testable import Newsroom

/// `/healthz` and `/readyz` answer without sign-in; readiness needs the database and a loaded catalog.
@Suite struct HealthTests {
    @Test func healthAndReadinessAnswerWithoutSigningIn() async throws {
        try await Reader.run { r in
            let health = try await r.h.browser().get("/healthz")
            #expect(health.status == 200)
            #expect(health.body == "ok\n")
            #expect(health.header("Content-Type") == "text/plain; charset=utf-8")
            let ready = try await r.h.browser().get("/readyz")
            #expect(ready.status == 200)
            #expect(ready.body == "ready\n")
            #expect(health.setCookies.isEmpty && ready.setCookies.isEmpty)
        }
    }

    @Test func notReadyUntilACatalogIsLoaded() async throws {
        let store = try SQLiteStore.temporary()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("readyz-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let feedsPath = folder + "/feeds.json"
        let clock = TestClock()
        let watcher = CatalogWatcher(path: feedsPath, store: store, now: { clock.now }, logger: LogCapture().logger())
        let router = Router(context: NewsroomContext.self)
        HealthRoutes(store: store, watcher: watcher).register(on: router)

        try await Application(router: router).test(.router) { client in
            // No feeds.json yet: the process is alive but not ready.
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body) == "no catalog loaded\n")
            }
            try Data(#"{"bbc": "https://feeds.example/bbc.xml"}"#.utf8).write(to: URL(fileURLWithPath: feedsPath))
            try await watcher.loadInitial()
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
        }
    }

    /// A database another process keeps locked for writing can still be read, but takes no sign-in and no fetch:
    /// not ready, and said within the probe's bound rather than after the 5 s busy timeout. Liveness never looks.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func notReadyWhileAnotherProcessHoldsTheWriteLock() async throws {
        try await Reader.run { r in
            let browser = r.h.browser()
            #expect(try await browser.get("/readyz").status == 200)
            try await r.h.whileAnotherProcessHoldsTheWriteLock {
                let asked = ContinuousClock.now
                let ready = try await browser.get("/readyz")
                let took = ContinuousClock.now - asked
                #expect(ready.status == 503)
                #expect(ready.body == "database not writable\n")
                // The probe gives up after 250 ms; the margin is for a parallel suite loading both cores. Under the
                // 5 s busy timeout, which is what a probe through the pool's writer would wait.
                #expect(took < .seconds(4), "the write probe waited \(took)")
                let health = try await browser.get("/healthz")
                #expect(health.status == 200 && health.body == "ok\n")
            }
            let ready = try await browser.get("/readyz")
            #expect(ready.status == 200 && ready.body == "ready\n")
        }
    }
}

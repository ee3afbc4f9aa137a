import Curl
import Testing
import TestSupport

@Suite("Concurrency, queueing and cancellation")
struct ConcurrencyTests {
    @Test func fiftyConcurrentRequestsAllComplete() async throws {
        let server = try LoopbackHTTPServer { request in .text("echo \(request.path)") }
        let client = CurlClient()
        let results = await withTaskGroup(of: (Int, Result<CurlResponse, CurlError>).self) { group in
            for index in 0..<50 {
                group.addTask { (index, await outcome(of: CurlRequest(url: server.baseURL + "/item/\(index)"), with: client)) }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 50)
        for (index, result) in results {
            let response = try result.get()
            #expect(String(decoding: response.body, as: UTF8.self) == "echo /item/\(index)")
        }
        #expect(server.requests.count == 50)
    }

    @Test func requestsOverThePerHostCapWaitWithoutBlockingOtherHosts() async throws {
        let busy = try LoopbackHTTPServer { request in
            request.path == "/3" ? .text("third") : ScriptedResponse(behaviour: .stallBeforeHeaders(seconds: 20))
        }
        let other = try server(answering: .text("other host"))
        let client = CurlClient(maxTotalConnections: 8, maxConnectionsPerHost: 2)
        let first = Task { await outcome(of: CurlRequest(url: busy.baseURL + "/1"), with: client) }
        _ = await busy.waitForRequests(count: 1)
        let second = Task { await outcome(of: CurlRequest(url: busy.baseURL + "/2"), with: client) }
        _ = await busy.waitForRequests(count: 2)
        let third = Task { await outcome(of: CurlRequest(url: busy.baseURL + "/3", totalTimeout: .seconds(60)), with: client) }
        // Another host is not held up by the busy one.
        let response = try await client.send(CurlRequest(url: other.baseURL + "/"))
        #expect(String(decoding: response.body, as: UTF8.self) == "other host")
        #expect(busy.requests.count == 2)
        // Freeing a slot lets the queued request start.
        first.cancel()
        let thirdResponse = try await third.value.get()
        #expect(String(decoding: thirdResponse.body, as: UTF8.self) == "third")
        #expect(busy.requests.map(\.path) == ["/1", "/2", "/3"])
        second.cancel()
        #expect(await first.value.error == .cancelled)
        #expect(await second.value.error == .cancelled)
    }

    @Test func totalCapQueuesAcrossHosts() async throws {
        let stalling = try server(answering: ScriptedResponse(behaviour: .stallBeforeHeaders(seconds: 20)))
        let other = try server(answering: .text("after"))
        let client = CurlClient(maxTotalConnections: 1, maxConnectionsPerHost: 1)
        let blocker = Task { await outcome(of: CurlRequest(url: stalling.baseURL + "/"), with: client) }
        _ = await stalling.waitForRequests(count: 1)
        let queued = Task { await outcome(of: CurlRequest(url: other.baseURL + "/"), with: client) }
        blocker.cancel()
        #expect(await blocker.value.error == .cancelled)
        #expect(String(decoding: try await queued.value.get().body, as: UTF8.self) == "after")
    }

    @Test func cancellingAQueuedRequestNeverSendsIt() async throws {
        let stalling = try LoopbackHTTPServer { _ in ScriptedResponse(behaviour: .stallBeforeHeaders(seconds: 20)) }
        let client = CurlClient(maxTotalConnections: 1, maxConnectionsPerHost: 1)
        let blocker = Task { await outcome(of: CurlRequest(url: stalling.baseURL + "/blocker"), with: client) }
        _ = await stalling.waitForRequests(count: 1)
        let queued = Task { await outcome(of: CurlRequest(url: stalling.baseURL + "/queued"), with: client) }
        queued.cancel()
        #expect(await queued.value.error == .cancelled)
        blocker.cancel()
        #expect(await blocker.value.error == .cancelled)
        #expect(stalling.requests.map(\.path) == ["/blocker"])
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        let server = try server(answering: ScriptedResponse(behaviour: .stallBeforeHeaders(seconds: 20)))
        let client = CurlClient()
        let task = Task { await outcome(of: CurlRequest(url: server.baseURL + "/slow"), with: client) }
        _ = await server.waitForRequests(count: 1)
        task.cancel()
        #expect(await task.value.error == .cancelled)
        // The server's stall only ends early when the client closes its socket.
        #expect(await server.waitForClosedConnections(count: 1) == [.clientHungUp])
    }

    @Test func alreadyCancelledTaskNeverConnects() async throws {
        let server = try server(answering: .text("ok"))
        let client = CurlClient()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await outcome(of: CurlRequest(url: server.baseURL + "/"), with: client)
        }
        #expect(await task.value.error == .cancelled)
        #expect(server.requests.isEmpty)
    }

    @Test func cancellingOneRequestLeavesOthersRunning() async throws {
        let server = try LoopbackHTTPServer { request in
            request.path == "/slow" ? ScriptedResponse(behaviour: .stallBeforeHeaders(seconds: 20)) : .text("fast")
        }
        let client = CurlClient()
        let slow = Task { await outcome(of: CurlRequest(url: server.baseURL + "/slow"), with: client) }
        _ = await server.waitForRequests(count: 1)
        slow.cancel()
        let fast = try await client.send(CurlRequest(url: server.baseURL + "/fast"))
        #expect(String(decoding: fast.body, as: UTF8.self) == "fast")
        #expect(await slow.value.error == .cancelled)
    }

    @Test func shutdownFailsInFlightAndLaterRequests() async throws {
        let server = try server(answering: ScriptedResponse(behaviour: .stallBeforeHeaders(seconds: 20)))
        let client = CurlClient()
        let inFlight = Task { await outcome(of: CurlRequest(url: server.baseURL + "/"), with: client) }
        _ = await server.waitForRequests(count: 1)
        client.shutdown()
        #expect(await inFlight.value.error == .cancelled)
        #expect(await outcome(of: CurlRequest(url: server.baseURL + "/"), with: client).error == .cancelled)
        client.shutdown()
    }

    @Test func stopUnblocksAStallingServer() async throws {
        let server = try server(answering: ScriptedResponse(body: Array("never sent".utf8), behaviour: .stallAfterHeaders(seconds: 60)))
        let client = CurlClient()
        let task = Task { await outcome(of: CurlRequest(url: server.baseURL + "/"), with: client) }
        _ = await server.waitForRequests(count: 1)
        server.stop()
        #expect(server.connectionOutcomes == [.serverStopped])
        guard case .transfer? = await task.value.error else { Issue.record("expected a transfer error"); return }
    }
}

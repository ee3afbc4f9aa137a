import Foundation
import Synchronization
import TestSupport

/// A loopback feed server whose routes a test can change between fetches (a feed that moves, breaks or recovers).
final class FeedSite: Sendable {
    enum Route: Sendable {
        /// A feed answering conditional requests: 304 when If-None-Match or If-Modified-Since matches what it sends.
        case feed(bytes: [UInt8], etag: String?, lastModified: String?, extraHeaders: [(name: String, value: String)])
        /// The same response to every request.
        case scripted(ScriptedResponse)
        /// The next response in the list per request; the last one repeats.
        case sequence([ScriptedResponse])
    }

    private final class Routes: Sendable {
        let table = Mutex<[String: Route]>([:])
        let served = Mutex<[String: Int]>([:])
    }

    private let routes: Routes
    let server: LoopbackHTTPServer

    init() throws {
        let routes = Routes()
        self.routes = routes
        server = try LoopbackHTTPServer { request in
            let path = request.pathWithoutQuery
            let index = routes.served.withLock { served in
                defer { served[path, default: 0] += 1 }
                return served[path, default: 0]
            }
            guard let route = routes.table.withLock({ $0[path] }) else { return .text("not found", status: 404) }
            return FeedSite.respond(to: request, route: route, index: index)
        }
    }

    func set(_ path: String, _ route: Route) { routes.table.withLock { $0[path] = route } }

    /// Serves `bytes` as an RSS feed with the given validators (nil leaves that validator out).
    func setFeed(_ path: String, _ bytes: [UInt8], etag: String? = nil, lastModified: String? = nil,
                 extraHeaders: [(name: String, value: String)] = []) {
        set(path, .feed(bytes: bytes, etag: etag, lastModified: lastModified, extraHeaders: extraHeaders))
    }

    func url(_ path: String) -> String { server.baseURL + path }

    func requests(to path: String) -> [RecordedRequest] { server.requests.filter { $0.pathWithoutQuery == path } }

    private static func respond(to request: RecordedRequest, route: Route, index: Int) -> ScriptedResponse {
        switch route {
        case .scripted(let response):
            return response
        case .sequence(let responses):
            return responses[min(index, responses.count - 1)]
        case .feed(let bytes, let etag, let lastModified, let extraHeaders):
            var validators: [(name: String, value: String)] = []
            if let etag { validators.append((name: "ETag", value: etag)) }
            if let lastModified { validators.append((name: "Last-Modified", value: lastModified)) }
            if let sent = request.header("If-None-Match") {
                if sent == etag { return ScriptedResponse(status: 304, headers: validators + extraHeaders) }
            } else if let sent = request.header("If-Modified-Since"), sent == lastModified {
                return ScriptedResponse(status: 304, headers: validators + extraHeaders)
            }
            return ScriptedResponse(status: 200, headers: [(name: "Content-Type", value: "application/rss+xml; charset=utf-8")] + validators + extraHeaders,
                                    body: bytes)
        }
    }
}

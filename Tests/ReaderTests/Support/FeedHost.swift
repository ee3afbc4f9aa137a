import Foundation
import Synchronization
import TestSupport

/// Feeds served on loopback whose text a test can change between fetches (no validators, so every fetch is a 200).
final class FeedHost: Sendable {
    private final class Documents: Sendable {
        let byPath: Mutex<[String: String]>
        init(_ initial: [String: String]) { byPath = Mutex(initial) }
    }

    private let documents: Documents
    let server: LoopbackHTTPServer

    /// - Parameter feeds: path (`/bbc.xml`) → feed text.
    init(_ feeds: [String: String] = [:]) throws {
        let documents = Documents(feeds)
        self.documents = documents
        server = try LoopbackHTTPServer { request in
            guard let text = documents.byPath.withLock({ $0[request.pathWithoutQuery] }) else {
                return .text("no feed here", status: 404)
            }
            return ScriptedResponse(status: 200, headers: [(name: "Content-Type", value: "application/rss+xml; charset=utf-8")],
                                    body: Array(text.utf8))
        }
    }

    func url(_ path: String) -> String { server.baseURL + path }

    /// Replaces (or with nil removes) the feed at `path`; the next fetch sees it.
    func publish(_ text: String?, at path: String) {
        documents.byPath.withLock { $0[path] = text }
    }
}

/// feeds.json text in the long form, publications in the order given.
func catalogJSON(_ publications: [(id: String, name: String, url: String)]) -> String {
    let entries = publications.map { #"{"id": "\#($0.id)", "name": "\#($0.name)", "url": "\#($0.url)"}"# }
    return #"{"publications": [\#(entries.joined(separator: ", "))]}"#
}

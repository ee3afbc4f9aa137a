import Foundation
import Logging
import Synchronization

/// Collects every log line (message, metadata, source) so tests can scan them for secrets,
/// and lets a test await a line instead of sleeping.
public final class LogCapture: Sendable {
    public struct Line: Sendable, CustomStringConvertible {
        public var level: Logger.Level
        public var text: String
        public var description: String { "[\(level)] \(text)" }
    }

    private struct State {
        public init() {}

    public var lines: [Line] = []
        var waiters: [(prefix: String, continuation: CheckedContinuation<Void, any Error>)] = []
        var failure: (any Error)?
    }

    private let state = Mutex(State())

    public init() {}

    public var lines: [Line] { state.withLock { $0.lines } }
    public var allText: String { lines.map(\.text).joined(separator: "\n") }

    public func logger(label: String = "newsroom-test") -> Logger {
        var logger = Logger(label: label) { label in CapturingHandler(label: label, capture: self) }
        logger.logLevel = .trace
        return logger
    }

    public func append(_ line: Line) {
        let ready = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
            s.lines.append(line)
            let (met, waiting) = (s.waiters.filter { line.text.hasPrefix($0.prefix) }, s.waiters.filter { !line.text.hasPrefix($0.prefix) })
            s.waiters = waiting
            return met.map(\.continuation)
        }
        for continuation in ready { continuation.resume() }
    }

    /// Returns once a line starting with `prefix` was logged; throws if `fail(_:)` was called first.
    public func waitForLine(startingWith prefix: String) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome: Result<Bool, any Error> = state.withLock { s in
                if let failure = s.failure { return .failure(failure) }
                if s.lines.contains(where: { $0.text.hasPrefix(prefix) }) { return .success(true) }
                s.waiters.append((prefix, continuation))
                return .success(false)
            }
            switch outcome {
            case .failure(let error): continuation.resume(throwing: error)
            case .success(true): continuation.resume()
            case .success(false): break
            }
        }
    }

    public struct LineDidNotCome: Error, CustomStringConvertible {
        public var prefix: String
        public var description: String { "no log line starting with '\(prefix)' came in time" }
    }

    /// Returns once a line starting with `prefix` was logged, or throws `LineDidNotCome` after `timeout`: for
    /// lines a broken app might never log, where `waitForLine(startingWith:)` (which cannot be cancelled) would hang.
    public func waitForLine(startingWith prefix: String, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while !state.withLock({ $0.lines.contains { $0.text.hasPrefix(prefix) } }) {
            guard ContinuousClock.now < deadline else { throw LineDidNotCome(prefix: prefix) }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Wakes every waiter with `error` (the server could not start).
    public func fail(_ error: any Error) {
        let waiting = state.withLock { s in
            s.failure = error
            defer { s.waiters = [] }
            return s.waiters.map(\.continuation)
        }
        for continuation in waiting { continuation.resume(throwing: error) }
    }
}

/// Sends every log event, metadata and error included, to a `LogCapture`.
struct CapturingHandler: LogHandler {
    let label: String
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let error = event.error.map { " error=\($0)" } ?? ""
        capture.append(.init(level: event.level, text: "\(event.message) \(rendered)\(error) (\(label) \(event.source))"))
    }
}

import Foundation
import Synchronization

/// A wall clock that moves only when a test moves it: the app's `now` in every test that injects one.
public final class TestClock: Sendable {
    /// 2026-01-01T00:00:00Z: a fixed start keeps dates in tests and HTTP headers readable.
    public static let start = Date(timeIntervalSince1970: 1_767_225_600)

    private let current: Mutex<Date>

    public init(_ start: Date = TestClock.start) { current = Mutex(start) }

    public var now: Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

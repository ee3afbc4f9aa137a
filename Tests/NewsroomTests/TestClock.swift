import Foundation
import Synchronization

/// A wall clock that moves only when a test moves it.
final class TestClock: Sendable {
    /// 2026-01-01T00:00:00Z: a fixed start keeps HTTP dates in tests readable.
    static let start = Date(timeIntervalSince1970: 1_767_225_600)

    private let current: Mutex<Date>

    init(_ start: Date = TestClock.start) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// IMF-fixdate, the form HTTP headers (Expires, Retry-After, Last-Modified) use.
func httpDate(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    return formatter.string(from: date)
}

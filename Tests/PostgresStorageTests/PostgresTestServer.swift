import Foundation
import PostgresStorage
import Storage
import StorageTestSupport
import Testing

/// Tests that need a PostgreSQL server run when `NEWSROOM_TEST_POSTGRES_URL` names one. Without it they are skipped,
/// visibly, unless `NEWSROOM_E2E=1` makes every test mandatory: then they run and fail, saying the variable is missing.
let needsServer = Testing.ConditionTrait.enabled(
    if: StorageEngine.hasPostgresServer || StorageEngine.mandatory,
    "needs a PostgreSQL server: set NEWSROOM_TEST_POSTGRES_URL (make test does)")

/// A fixed instant the tests count from; storage never reads the clock, so neither do the tests.
let epoch = Date(timeIntervalSince1970: 1_800_000_000)

/// `epoch` plus some minutes.
func minute(_ minutes: Double) -> Date { epoch.addingTimeInterval(minutes * 60) }

/// `count` publications p00, p01… all due at `epoch`.
func catalog(_ count: Int) -> [PublicationConfig] {
    (0..<count).map { PublicationConfig(id: String(format: "p%02d", $0), name: "Publication \($0)", url: "https://news.example/\($0).xml", refreshMinutes: 15) }
}

/// A port on 127.0.0.1 where nothing listens: bound, then released (nothing else on this machine races for it in
/// the moment the test takes).
func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw PortError() }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw PortError() }
    return Int(UInt16(bigEndian: address.sin_port))
}

struct PortError: Error {}

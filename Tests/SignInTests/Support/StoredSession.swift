import AppTestSupport
import Storage
@testable import Newsroom

extension AppHarness {
    /// The stored session behind a browser's cookie (nil when there is none); rows are keyed by the id's hash.
    func storedSession(of browser: Browser) async throws -> SessionRecord? {
        guard let id = browser.cookie(sessionCookie) else { return nil }
        return try await store.session(idHash: Opaque.hash(id))
    }
}

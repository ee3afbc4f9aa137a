import Foundation
import Hummingbird
import Storage

/// `/healthz`: the process answers (no database). `/readyz`: the database can be read and written, and a catalog
/// is loaded. No sign-in.
struct HealthRoutes: Sendable {
    let store: any Store
    let watcher: CatalogWatcher

    func register(on router: Router<NewsroomContext>) {
        router.get("/healthz") { _, _ in plain(.ok, "ok\n") }
        router.get("/readyz") { _, _ in
            guard await store.isReachable() else { return plain(.serviceUnavailable, "database unreachable\n") }
            // Readable is not enough: a file another process keeps locked (or a read-only one) serves pages but
            // cannot take a sign-in or a fetch. The probe gives up after 250 ms.
            guard await store.isWritable() else { return plain(.serviceUnavailable, "database not writable\n") }
            guard watcher.catalog != nil else { return plain(.serviceUnavailable, "no catalog loaded\n") }
            return plain(.ok, "ready\n")
        }
        router.refuseWrites(on: "/healthz")
        router.refuseWrites(on: "/readyz")
    }

    private func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

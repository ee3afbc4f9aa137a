import Curl
import Testing
import TestSupport

@Suite("Conditional requests against the feed server")
struct ConditionalRequestTests {
    let file = ServedFile(contentType: "application/rss+xml", bytes: Array("<rss version=\"2.0\"/>".utf8), etag: "\"v1\"",
                          lastModified: "Wed, 21 Oct 2015 07:28:00 GMT")

    @Test func plainGetReturnsContentAndValidators() async throws {
        let server = try LoopbackHTTPServer.serving(files: ["/feed.xml": file])
        let response = try await CurlClient().send(CurlRequest(url: server.baseURL + "/feed.xml"))
        #expect(response.status == 200)
        #expect(response.body == file.bytes)
        #expect(response.header("ETag") == "\"v1\"")
        #expect(response.header("Last-Modified") == file.lastModified)
        #expect(response.header("Content-Type") == "application/rss+xml")
    }

    @Test func matchingETagGives304() async throws {
        let server = try LoopbackHTTPServer.serving(files: ["/feed.xml": file])
        let response = try await CurlClient().send(CurlRequest(url: server.baseURL + "/feed.xml", headers: [(name: "If-None-Match", value: "\"v1\"")]))
        #expect(response.status == 304)
        #expect(response.body.isEmpty)
        #expect(server.requests.first?.header("If-None-Match") == "\"v1\"")
    }

    @Test func staleETagGivesTheContent() async throws {
        let server = try LoopbackHTTPServer.serving(files: ["/feed.xml": file])
        let response = try await CurlClient().send(CurlRequest(url: server.baseURL + "/feed.xml", headers: [(name: "If-None-Match", value: "\"v0\"")]))
        #expect(response.status == 200)
        #expect(response.body == file.bytes)
    }

    @Test func ifModifiedSinceGives304WhenUnchanged() async throws {
        let server = try LoopbackHTTPServer.serving(files: ["/feed.xml": file])
        let response = try await CurlClient().send(CurlRequest(url: server.baseURL + "/feed.xml",
                                                               headers: [(name: "If-Modified-Since", value: file.lastModified)]))
        #expect(response.status == 304)
        #expect(server.requests.first?.header("If-Modified-Since") == file.lastModified)
    }

    @Test func ifModifiedSinceBeforeTheChangeGivesTheContent() async throws {
        let server = try LoopbackHTTPServer.serving(files: ["/feed.xml": file])
        let response = try await CurlClient().send(CurlRequest(url: server.baseURL + "/feed.xml",
                                                               headers: [(name: "If-Modified-Since", value: "Tue, 20 Oct 2015 07:28:00 GMT")]))
        #expect(response.status == 200)
    }

    @Test func unknownPathIs404() async throws {
        let server = try LoopbackHTTPServer.serving(files: ["/feed.xml": (contentType: "application/rss+xml", bytes: Array("<rss/>".utf8))])
        let response = try await CurlClient().send(CurlRequest(url: server.baseURL + "/other.xml"))
        #expect(response.status == 404)
    }
}

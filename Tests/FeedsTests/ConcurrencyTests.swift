import Testing
@testable import Feeds

@Suite struct ConcurrencyTests {
    /// Each parse owns its libxml2 context and error collector, so parallel parses must agree with serial ones.
    @Test func parallelParsesMatchSerialOnes() async throws {
        let inputs = try ["ill-formed.xml", "atom10.xml", "rss1.rdf", "rss2-namespaces.xml"].map(TestFiles.fixture)
            + RealFeedsTests.feeds.map { try TestFiles.realFeed($0.file) }
        let serial = try inputs.map { try FeedParser.parse($0) }
        let parallel = try await withThrowingTaskGroup(of: (Int, ParsedFeed).self) { group in
            for _ in 0..<4 {
                for (index, bytes) in inputs.enumerated() {
                    group.addTask { (index, try FeedParser.parse(bytes)) }
                }
            }
            var results: [(Int, ParsedFeed)] = []
            for try await result in group { results.append(result) }
            return results
        }
        #expect(parallel.count == inputs.count * 4)
        for (index, feed) in parallel {
            #expect(feed == serial[index])
        }
        #expect(serial[0].bozo && serial[0].bozoMessage != nil)
    }
}

import Testing
@testable import Newsroom

/// The refresher service trims the allocator after each round (issue 11, memory); on glibc the trim must be found.
@Suite struct AllocatorTrimTests {
    #if os(Linux)
    @Test func glibcsMallocTrimIsFoundAndRuns() {
        #expect(AllocatorTrim.isAvailable)
        // Every other 64 KB block freed: holes between live blocks, which free() cannot give back on its own (only the
        // top of a heap goes back by itself) and which hold whole pages for the trim to release.
        let blocks = (0..<64).map { _ in [UInt8](repeating: 1, count: 64 << 10) }
        var kept = blocks.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        withExtendedLifetime(blocks) {}
        #expect(AllocatorTrim.releaseFreeMemory())
        kept.removeAll()
    }
    #endif
}

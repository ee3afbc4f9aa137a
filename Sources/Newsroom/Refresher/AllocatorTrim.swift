#if canImport(Glibc)
import Glibc
#endif

/// Gives the allocator's free pages back to the system once a refresh round is over.
///
/// A round allocates and frees a few MB on several threads; glibc keeps what each thread's arena freed for reuse,
/// and only the top of each heap is ever returned on its own. `malloc_trim(0)` releases every whole free page in
/// every arena (a millisecond or two, once per round), which is what lets the server's RSS fall back after a round.
enum AllocatorTrim {
    private typealias Trim = @convention(c) (Int) -> Int32

    /// glibc's `malloc_trim`, looked up at run time: Swift's Glibc module leaves out <malloc.h>, and other C
    /// libraries (musl) have no such function, where this does nothing.
    private static let trim: Trim? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "malloc_trim") else { return nil }  // nil: RTLD_DEFAULT
        return unsafeBitCast(symbol, to: Trim.self)
        #else
        return nil
        #endif
    }()

    /// False where the C library has no such call.
    static var isAvailable: Bool { trim != nil }

    /// Returns free memory to the system; true when the allocator released something.
    @discardableResult
    static func releaseFreeMemory() -> Bool {
        guard let trim else { return false }
        return trim(0) == 1
    }
}

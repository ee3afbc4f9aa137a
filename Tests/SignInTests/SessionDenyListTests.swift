import Testing
@testable import Newsroom

/// The in-memory list of ended sessions whose rows are not deleted yet: bounded, and closed when full.
@Suite struct SessionDenyListTests {
    @Test func aDeniedSessionIsRefusedUntilItsRowIsRetired() {
        let list = LocalSessionDenyList(capacity: 10)
        #expect(list.standing(of: "a") == .clear)
        #expect(list.deny("a"))
        #expect(list.standing(of: "a") == .denied)
        #expect(list.standing(of: "b") == .clear)
        #expect(list.pending().hashes == ["a"])
        list.retired(["a"], untrustedSince: nil)
        #expect(list.standing(of: "a") == .clear)
        #expect(list.pending().hashes.isEmpty)
    }

    /// Past its capacity the list cannot remember another ended session, so it trusts none until every
    /// session has been deleted; what it did record stays refused.
    @Test func whenFullEverySessionIsUntrustedUntilAllAreDeleted() {
        let list = LocalSessionDenyList(capacity: 2)
        #expect(list.deny("a") && list.deny("b"))
        #expect(!list.deny("c"))
        #expect(list.standing(of: "a") == .denied)
        #expect(list.standing(of: "c") == .untrusted)
        #expect(list.standing(of: "someone-else") == .untrusted)
        let pending = list.pending()
        #expect(pending.overflowEpoch != nil)
        // Another refusal while every row was being deleted may name a session created meanwhile: still untrusted.
        #expect(!list.deny("d"))
        list.retired(pending.hashes, untrustedSince: pending.overflowEpoch)
        #expect(list.standing(of: "someone-else") == .untrusted)
        let again = list.pending()
        list.retired(again.hashes, untrustedSince: again.overflowEpoch)
        #expect(list.standing(of: "someone-else") == .clear)
        #expect(list.standing(of: "d") == .clear)
        #expect(list.pending().hashes.isEmpty && list.pending().overflowEpoch == nil)
    }
}

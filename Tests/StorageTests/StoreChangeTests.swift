import Storage
import Testing

/// The text instances send each other about a change (`ChangeChannel`): needs no server, whichever engine carries it.
@Suite("Store changes as payloads")
struct StoreChangeTests {
    @Test(arguments: [
        (StoreChange.publication("bbc"), "p:bbc"),
        (.catalog, "c"),
        (.sessionEnded(idHash: "h"), "s:h"),
        (.publication("a:b"), "p:a:b"),
        (.publication("Zé\u{301} 'x'; --"), "p:Zé\u{301} 'x'; --"),
        (.sessionEnded(idHash: String(repeating: "f", count: 64)), "s:" + String(repeating: "f", count: 64)),
    ])
    func roundTrips(_ change: StoreChange, _ payload: String) {
        #expect(change.payload == payload)
        #expect(StoreChange(payload: change.payload) == change)
    }

    /// Noise on the channel, or a newer version's message: no change, rather than a wrong one.
    @Test(arguments: ["", "x", "C", "c ", " c", "cc", "catalog", "p", "p:", "s", "s:", "P:bbc", "S:h", "q:bbc", "pbbc", "p-bbc", ":bbc"])
    func rejectsAnythingElse(_ payload: String) {
        #expect(StoreChange(payload: payload) == nil, "\(payload.debugDescription)")
    }
}

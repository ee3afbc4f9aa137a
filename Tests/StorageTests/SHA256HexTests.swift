import Testing
import Storage

/// The hashing itself is swift-crypto's; what is ours is the text form dedupe keys and session hashes store.
@Suite("SHA-256 as lowercase hex")
struct SHA256HexTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ])
    func isSixtyFourLowercaseHexDigits(_ text: String, _ expected: String) {
        #expect(SHA256Hex.of(text) == expected)
    }
}

/// Bytes from the system CSPRNG: the default source for PKCE verifiers and OAuth states, and the app's live
/// `randomBytes` (tests inject a seeded one instead).
public enum SystemRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
    }
}

import Foundation

/// Which URLs may appear in an `href` or `src`; everything else is dropped, never rendered.
public enum URLPolicy {
    /// An article link: `http:` or `https:` with a host.
    public static func webLink(_ candidate: String) -> String? {
        absolute(candidate, schemes: ["http", "https"])
    }

    /// An image (thumbnail, avatar): `https:` only, so pages never load mixed content.
    public static func secureImage(_ candidate: String) -> String? {
        absolute(candidate, schemes: ["https"])
    }

    /// A help link shown on a sign-in page: `https:` only.
    static func secureLink(_ candidate: String) -> String? {
        absolute(candidate, schemes: ["https"])
    }

    /// A link the app itself chose: a local path (`/x`, never `//` or `/\`) or an `http(s):` URL.
    static func localOrWeb(_ candidate: String) -> String? {
        let trimmed = candidate.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("/") {
            guard !trimmed.hasPrefix("//"), !trimmed.hasPrefix("/\\"), !hasControlOrSpace(trimmed) else { return nil }
            return trimmed
        }
        return webLink(trimmed)
    }

    private static func absolute(_ candidate: String, schemes: Set<String>) -> String? {
        // Browsers ignore surrounding spaces, so "  javascript:" must be judged on what follows.
        let trimmed = candidate.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !hasControlOrSpace(trimmed), !trimmed.contains("\\"),
              let url = URL(string: trimmed),
              let scheme = url.scheme?.lowercased(), schemes.contains(scheme),
              let host = url.host, !host.isEmpty
        else { return nil }
        return trimmed
    }

    private static func hasControlOrSpace(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }
    }
}

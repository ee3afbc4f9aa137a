import Foundation

/// What identifies an article across fetches of one publication: guid, else link, else a hash of its content.
enum DedupeKey {
    static func of(_ article: ArticleInput) -> String {
        if let guid = nonBlank(article.guid) { return "guid:" + guid }
        if let link = nonBlank(article.link) { return "link:" + link }
        let title = article.title ?? ""
        let summary = article.summary ?? ""
        // Length prefix so ("ab", "c") and ("a", "bc") hash differently.
        let content = "\(title.utf8.count):\(title)\(summary)"
        return "hash:" + SHA256Hex.of(content)
    }

    private static func nonBlank(_ value: String?) -> String? {
        guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}

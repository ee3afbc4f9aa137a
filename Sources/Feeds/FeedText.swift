/// The human-readable `newsroom parse FILE` output: the feed header, then one block per entry.
public enum FeedText {
    public static func render(_ feed: ParsedFeed) -> String {
        var lines: [String] = []
        lines.append("Feed: \(feed.title.map(HTMLText.plainText) ?? "(untitled)")")
        if let link = feed.link { lines.append("Link: \(link)") }
        if let subtitle = feed.subtitle { lines.append("About: \(HTMLText.plainText(subtitle))") }
        if let updated = feed.updated { lines.append("Updated: \(FeedJSON.timestamp(updated))") }
        if let ttl = feed.ttlMinutes { lines.append("TTL: \(ttl) min") }
        if feed.bozo { lines.append("Warning: ill-formed XML, recovered (\(feed.bozoMessage ?? "no details"))") }
        lines.append("Entries: \(feed.entries.count)")
        for (number, entry) in feed.entries.enumerated() {
            lines.append("")
            lines.append("\(number + 1). \(entry.title.map(HTMLText.plainText) ?? "(untitled)")")
            if let link = entry.link { lines.append("   \(link)") }
            if let date = entry.published ?? entry.updated { lines.append("   \(FeedJSON.timestamp(date))") }
            if let author = entry.author { lines.append("   by \(author)") }
            if !entry.categories.isEmpty { lines.append("   [\(entry.categories.joined(separator: ", "))]") }
            if let summary = entry.summary.map(HTMLText.plainText), !summary.isEmpty {
                lines.append("   " + (summary.count > 200 ? String(summary.prefix(199)) + "…" : summary))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

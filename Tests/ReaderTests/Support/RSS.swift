import Foundation

/// One `<item>` of a test feed. Text fields are XML-escaped when written, so the parser reads them back verbatim.
struct FeedItem: Sendable {
    var title: String
    var link: String
    var summary: String? = nil
    var author: String? = nil
    var published: Date
    var thumbnail: String? = nil
}

/// RSS 2.0 documents for tests.
enum RSS {
    static func document(title: String, items: [FeedItem]) -> String {
        let body = items.map { item in
            var lines = ["<item>", "<title>\(escape(item.title))</title>", "<link>\(escape(item.link))</link>",
                         "<guid isPermaLink=\"false\">\(escape(item.link))#\(escape(item.title))</guid>",
                         "<pubDate>\(rfc822(item.published))</pubDate>"]
            if let summary = item.summary { lines.append("<description>\(escape(summary))</description>") }
            if let author = item.author { lines.append("<dc:creator>\(escape(author))</dc:creator>") }
            if let thumbnail = item.thumbnail { lines.append("<media:thumbnail url=\"\(escape(thumbnail))\" width=\"240\" height=\"135\"/>") }
            lines.append("</item>")
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
            <channel>
            <title>\(escape(title))</title>
            <link>https://news.example/</link>
            <description>Test feed</description>
            \(body)
            </channel>
            </rss>
            """
    }

    /// `count` items, newest first, one hour apart, the first published `first`.
    static func items(_ prefix: String, count: Int, first: Date) -> [FeedItem] {
        (0..<count).map { index in
            FeedItem(title: "\(prefix) story \(index + 1)", link: "https://news.example/\(prefix.lowercased())/\(index + 1)",
                     summary: "What happened in \(prefix) story \(index + 1).", author: "Reporter \(index + 1)",
                     published: first.addingTimeInterval(-3600 * Double(index)))
        }
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func rfc822(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}

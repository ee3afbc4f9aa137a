import Foundation

/// The `newsroom parse --json` output: a fixed key order, absent values omitted, dates as UTC `…Z`.
public enum FeedJSON {
    public static func encode(_ feed: ParsedFeed) -> String {
        var out = "{\"feed\": "
        var header = JSONObjectWriter()
        header.add("title", feed.title)
        header.add("link", feed.link)
        header.add("subtitle", feed.subtitle)
        header.add("updated", feed.updated)
        out += header.finished
        out += ", \"entries\": ["
        out += feed.entries.map(encode(entry:)).joined(separator: ", ")
        out += "], \"bozo\": \(feed.bozo)}"
        return out
    }

    private static func encode(entry: ParsedEntry) -> String {
        var object = JSONObjectWriter()
        object.add("title", entry.title)
        object.add("link", entry.link)
        object.add("id", entry.id)
        object.add("published", entry.published)
        object.add("updated", entry.updated)
        object.add("summary", entry.summary)
        object.add("content", entry.content)
        object.add("author", entry.author)
        if !entry.categories.isEmpty {
            object.addRaw("categories", "[" + entry.categories.map(quoted).joined(separator: ", ") + "]")
        }
        if !entry.enclosures.isEmpty {
            let enclosures = entry.enclosures.map { enclosure -> String in
                var item = JSONObjectWriter()
                item.add("url", enclosure.url)
                if let length = enclosure.length { item.addRaw("length", String(length)) }
                item.add("type", enclosure.type)
                return item.finished
            }
            object.addRaw("enclosures", "[" + enclosures.joined(separator: ", ") + "]")
        }
        object.add("thumbnail", entry.thumbnail)
        return object.finished
    }

    /// ISO 8601 in UTC with a `Z`, whole seconds (e.g. `2003-12-31T10:14:55Z`).
    public static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    static func quoted(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

private struct JSONObjectWriter {
    private var members: [String] = []

    mutating func add(_ key: String, _ value: String?) {
        if let value { addRaw(key, FeedJSON.quoted(value)) }
    }

    mutating func add(_ key: String, _ value: Date?) {
        if let value { addRaw(key, FeedJSON.quoted(FeedJSON.timestamp(value))) }
    }

    mutating func addRaw(_ key: String, _ json: String) {
        members.append("\(FeedJSON.quoted(key)): \(json)")
    }

    var finished: String { "{" + members.joined(separator: ", ") + "}" }
}

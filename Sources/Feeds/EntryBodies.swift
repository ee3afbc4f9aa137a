/// Collects an entry's summary and content the way feedparser assigns them: the first summary-like element
/// (description, summary, itunes:summary) is the summary and any later one is content; content elements are
/// content; xhtml:body is both; without a summary, the first content stands in for it.
struct EntryBodies {
    private var summary: String?
    private var contents: [String] = []

    mutating func addSummary(_ value: String?) {
        guard let value else { return }
        if summary == nil { summary = value } else { contents.append(value) }
    }

    mutating func addContent(_ value: String?) {
        if let value { contents.append(value) }
    }

    mutating func addSummaryAndContent(_ value: String?) {
        guard let value else { return }
        if summary == nil { summary = value }
        contents.append(value)
    }

    func apply(to entry: inout ParsedEntry) {
        entry.summary = summary ?? contents.first
        entry.content = contents.first
    }
}

/// Authors as feedparser composes them: `Name (email)` from an Atom person, the text of RSS and module elements.
enum Person {
    static func atom(_ node: XMLNode) -> String? {
        var name: String?, email: String?
        var sawParts = false
        for child in node.children {
            if child.isNamed("name") { name = child.nonEmptyText; sawParts = true }
            else if child.isNamed("email") { email = child.nonEmptyText; sawParts = true }
            else if child.isNamed("uri") || child.isNamed("url") { sawParts = true }
        }
        switch (name, email) {
        case let (name?, email?): return "\(name) (\(email))"
        case let (name?, nil): return name
        case let (nil, email?): return email
        default: return sawParts ? nil : node.nonEmptyText
        }
    }
}

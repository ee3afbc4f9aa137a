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

/// Chooses an entry's title among title, dc:title and media:title the way feedparser does. A non-empty title or
/// dc:title closes the title to any later one at its depth or deeper; media:title never closes it, so an own
/// title written after a media:title still wins. Among open candidates the shallowest is kept, the last of equals.
/// An entry's direct children are at depth 1 (media:group/media:title is at 2).
struct EntryTitle {
    private(set) var value: String?
    private var valueDepth = Int.max
    private var closedAt: Int?

    mutating func add(_ candidate: String?, depth: Int, closes: Bool) {
        guard let candidate else { return }
        if let closedAt, closedAt <= depth { return }
        if depth <= valueDepth {
            value = candidate
            valueDepth = depth
        }
        if closes, !candidate.isEmpty { closedAt = depth }
    }

    /// A `<source>` reopens the title: feedparser forgets the close, and the source's own (non-empty) title
    /// closes only its depth, below the entry's children.
    mutating func passSource(_ source: XMLNode) {
        let titled = source.children.contains { $0.isNamed("title") && $0.nonEmptyText != nil }
        closedAt = titled ? 2 : nil
    }
}

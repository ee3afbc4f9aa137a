import Foundation

/// Reads Atom 1.0 (and the Atom 0.3 names: tagline, modified, issued).
enum AtomReader {
    static func read(feed node: XMLNode) -> ParsedFeed {
        var feed = ParsedFeed()
        for child in node.children {
            let namespace = child.namespace
            if namespace.isAtom || namespace == .none {
                if child.isNamed("entry") {
                    feed.entries.append(readEntry(child))
                } else if child.isNamed("title") {
                    if feed.title == nil { feed.title = TextConstruct.atomTitle(child) }
                } else if child.isNamed("link") {
                    if feed.link == nil, RSSReader.isAlternate(child), let href = child.attribute("href") {
                        feed.link = child.resolve(href)
                    }
                } else if child.isNamed("subtitle") || child.isNamed("tagline") {
                    if feed.subtitle == nil { feed.subtitle = TextConstruct.atomContent(child) }
                } else if child.isNamed("updated") || child.isNamed("modified") {
                    feed.updated = feed.updated ?? child.nonEmptyText.flatMap(FeedDate.parse)
                }
            }
        }
        return feed
    }

    private static func readEntry(_ node: XMLNode) -> ParsedEntry {
        var entry = ParsedEntry()
        var media = MediaImages()
        for child in node.children {
            switch child.namespace {
            case .atom, .atom03, .none:
                if child.isNamed("title") {
                    if entry.title == nil { entry.title = TextConstruct.atomTitle(child) }
                } else if child.isNamed("link") {
                    readLink(child, into: &entry)
                } else if child.isNamed("id") {
                    if entry.id == nil { entry.id = child.nonEmptyText }
                } else if child.isNamed("published") || child.isNamed("issued") {
                    entry.published = entry.published ?? child.nonEmptyText.flatMap(FeedDate.parse)
                } else if child.isNamed("updated") || child.isNamed("modified") {
                    entry.updated = entry.updated ?? child.nonEmptyText.flatMap(FeedDate.parse)
                } else if child.isNamed("summary") {
                    if entry.summary == nil { entry.summary = TextConstruct.atomContent(child) }
                } else if child.isNamed("content") {
                    if entry.content == nil { entry.content = TextConstruct.atomContent(child) }
                } else if child.isNamed("author") {
                    if entry.author == nil { entry.author = personName(child) }
                } else if child.isNamed("category") {
                    if let term = (child.attribute("term") ?? child.attribute("label"))?.trimmingWhitespace(), !term.isEmpty {
                        entry.categories.append(term)
                    }
                }
            case .media:
                media.read(child)
            case .dc:
                if child.isNamed("creator"), entry.author == nil { entry.author = child.nonEmptyText }
                else if child.isNamed("subject"), let subject = child.nonEmptyText { entry.categories.append(subject) }
            default:
                break
            }
        }
        entry.thumbnail = media.best ?? MediaImages.firstImage(in: entry.enclosures)
        return entry
    }

    private static func readLink(_ link: XMLNode, into entry: inout ParsedEntry) {
        guard let href = link.attribute("href")?.trimmingWhitespace(), !href.isEmpty else { return }
        switch link.attribute("rel") ?? "alternate" {
        case "alternate":
            if entry.link == nil { entry.link = link.resolve(href) }
        case "enclosure":
            let length = link.attribute("length").flatMap { Int($0.trimmingWhitespace()) }
            entry.enclosures.append(Enclosure(url: link.resolve(href), length: length, type: link.attribute("type")))
        default:
            break
        }
    }

    private static func personName(_ author: XMLNode) -> String? {
        for child in author.children where child.isNamed("name") { return child.nonEmptyText }
        return author.nonEmptyText
    }
}

/// Text constructs: titles become plain text; summaries and content keep their HTML.
enum TextConstruct {
    /// An RSS title: may carry escaped HTML, so entities are decoded and tags stripped when present.
    static func title(_ raw: String) -> String? {
        let text = raw.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") })
            ? HTMLText.plainText(raw) : HTMLText.collapseWhitespace(raw)
        return text.isEmpty ? nil : text
    }

    static func atomTitle(_ node: XMLNode) -> String? {
        switch node.attribute("type") ?? "text" {
        case "html", "text/html": return title(node.text)
        case "xhtml", "application/xhtml+xml": return title(node.innerXML)
        default:
            let text = HTMLText.collapseWhitespace(node.text)
            return text.isEmpty ? nil : text
        }
    }

    /// Summary or content as given; xhtml is serialized from inside its wrapping div.
    static func atomContent(_ node: XMLNode) -> String? {
        let type = node.attribute("type") ?? "text"
        if type == "xhtml" || type == "application/xhtml+xml" {
            let wrapper = node.children.first { $0.isNamed("div") }
            let inner = (wrapper ?? node).innerXML.trimmingWhitespace()
            return inner.isEmpty ? nil : inner
        }
        if node.attribute("mode") == "base64" { return nil }
        return node.nonEmptyText
    }
}

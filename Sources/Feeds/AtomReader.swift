import Foundation

/// Reads Atom 1.0 and 0.3 (tagline, modified, issued, mode). Elements count as Atom when they are in an Atom
/// namespace, in none, or in the root's own namespace (a feed that declares an unknown default namespace).
enum AtomReader {
    static func read(feed node: XMLNode) -> ParsedFeed {
        var feed = ParsedFeed()
        var dates = RSSReader.FeedDates()
        feed.entries.reserveCapacity(node.countChildren(named: "entry"))
        for child in node.children {
            guard isAtom(child, root: node) else {
                readFeedModule(child, dates: &dates)
                continue
            }
            if child.isNamed("entry") {
                // Read in place, as RSSReader reads items (a returned entry is copied twice).
                feed.entries.append(ParsedEntry())
                readEntry(child, root: node, into: &feed.entries[feed.entries.count - 1])
            } else if child.isNamed("title") {
                if feed.title == nil { feed.title = TextConstruct.atom(child) }
            } else if child.isNamed("link") {
                if feed.link == nil, RSSReader.isAlternate(child), let href = child.attribute("href")?.trimmingWhitespace(), !href.isEmpty {
                    feed.link = child.resolve(href)
                }
            } else if child.isNamed("subtitle") || child.isNamed("tagline") {
                if feed.subtitle == nil { feed.subtitle = TextConstruct.atom(child) }
            } else if child.isNamed("updated") || child.isNamed("modified") {
                dates.updated = FeedDate.read(child)
            } else if child.isNamed("published") || child.isNamed("issued") {
                dates.published = FeedDate.read(child)
            }
        }
        // As for RSS, feedparser's feed `updated` falls back to its publication date.
        feed.updated = dates.updated ?? dates.published
        return feed
    }

    /// Feed-level module dates: dc:date and dcterms:modified update the feed, dcterms:issued publishes it;
    /// dcterms:created is kept apart by feedparser (no date we show).
    private static func readFeedModule(_ child: XMLNode, dates: inout RSSReader.FeedDates) {
        switch child.namespace {
        case .dc where child.isNamed("date"), .dcterms where child.isNamed("modified"):
            dates.updated = FeedDate.read(child)
        case .dcterms where child.isNamed("issued"):
            dates.published = FeedDate.read(child)
        default:
            break
        }
    }

    static func isAtom(_ node: XMLNode, root: XMLNode) -> Bool {
        let namespace = node.namespace
        return namespace.isAtom || namespace == .none || (namespace == .other && node.sharesNamespace(with: root))
    }

    private static func readEntry(_ node: XMLNode, root: XMLNode, into entry: inout ParsedEntry) {
        var media = MediaImages()
        var bodies = EntryBodies()
        var title = EntryTitle()
        for child in node.children {
            if isAtom(child, root: root) {
                if child.isNamed("title") {
                    title.add(TextConstruct.atom(child), depth: 1, closes: true)
                } else if child.isNamed("link") {
                    readLink(child, into: &entry)
                } else if child.isNamed("id") {
                    // feedparser resolves the id like any other URI (against xml:base).
                    if entry.id == nil { entry.id = child.nonEmptyText.map(child.resolve) }
                } else if child.isNamed("published") || child.isNamed("issued") {
                    entry.published = FeedDate.read(child)
                } else if child.isNamed("updated") || child.isNamed("modified") {
                    // feedparser keeps the last of several.
                    entry.updated = FeedDate.read(child)
                } else if child.isNamed("summary") {
                    bodies.addSummary(TextConstruct.atom(child))
                } else if child.isNamed("content") {
                    bodies.addContent(TextConstruct.atom(child))
                } else if child.isNamed("author") {
                    entry.author = Person.atom(child) ?? entry.author
                } else if child.isNamed("category") {
                    if let term = child.attribute("term")?.trimmingWhitespace(), !term.isEmpty { entry.categories.append(term) }
                } else if child.isNamed("source") {
                    // The source's children describe the feed the entry came from, never the entry itself.
                    title.passSource(child)
                }
                continue
            }
            switch child.namespace {
            case .media:
                media.read(child)
                MediaTitles.read(child, depth: 1, into: &title, text: TextConstruct.atom)
                if child.isNamed("category"), let category = child.nonEmptyText { entry.categories.append(category) }
            case .dc:
                if child.isNamed("creator") || child.isNamed("author") { entry.author = child.nonEmptyText ?? entry.author }
                else if child.isNamed("subject"), let subject = child.nonEmptyText { entry.categories.append(subject) }
                else if child.isNamed("date") { entry.updated = FeedDate.read(child) }
                else if child.isNamed("description") { bodies.addSummary(TextConstruct.html(child)) }
                else if child.isNamed("title") { title.add(TextConstruct.atom(child), depth: 1, closes: true) }
            case .dcterms:
                if child.isNamed("modified") { entry.updated = FeedDate.read(child) }
                else if child.isNamed("issued") { entry.published = FeedDate.read(child) }
            default:
                break
            }
        }
        bodies.apply(to: &entry)
        entry.title = title.value
        // Without an alternate link, feedparser offers the id as the link.
        if entry.link == nil { entry.link = entry.id }
        entry.thumbnail = media.best ?? MediaImages.firstImage(in: entry.enclosures)
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
}

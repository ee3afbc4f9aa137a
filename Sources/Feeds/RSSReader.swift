import Foundation

/// Reads RSS 0.9x/2.0 (`<rss><channel>`) and RSS 1.0 / 0.90 (`<rdf:RDF>`, items beside the channel), with the
/// Dublin Core, dcterms, content, xhtml, iTunes and Media RSS modules, into the values feedparser gives.
enum RSSReader {
    static func read(root: XMLNode) -> ParsedFeed {
        var feed = ParsedFeed()
        var dates = FeedDates()
        feed.entries.reserveCapacity(root.countChildren(named: "item"))
        for child in root.children where isRSS(child, root: root) {
            if child.isNamed("channel") {
                readChannel(child, root: root, into: &feed, dates: &dates)
            } else if child.isNamed("item") {
                appendItem(child, root: root, to: &feed.entries)
            }
        }
        feed.updated = dates.updated ?? dates.published
        return feed
    }

    /// Plain RSS elements: no namespace, an RSS default namespace, or the root's own (unknown default) namespace.
    static func isRSS(_ node: XMLNode, root: XMLNode) -> Bool {
        let namespace = node.namespace
        return namespace.isRSS || (namespace == .other && node.prefix == nil && node.sharesNamespace(with: root))
    }

    /// A channel's dates as feedparser files them: lastBuildDate and dc:date are "updated", pubDate "published".
    struct FeedDates {
        var updated: Date?
        var published: Date?
    }

    private static func readChannel(_ channel: XMLNode, root: XMLNode, into feed: inout ParsedFeed, dates: inout FeedDates) {
        var atomLink: String?
        feed.entries.reserveCapacity(feed.entries.count + channel.countChildren(named: "item"))
        for child in channel.children {
            if isRSS(child, root: root) {
                if child.isNamed("item") {
                    appendItem(child, root: root, to: &feed.entries)
                } else if child.isNamed("title") {
                    if feed.title == nil { feed.title = TextConstruct.plain(child) }
                } else if child.isNamed("link") {
                    if feed.link == nil, let link = child.nonEmptyText { feed.link = child.resolve(link) }
                } else if child.isNamed("description") {
                    feed.subtitle = TextConstruct.html(child) ?? feed.subtitle
                } else if child.isNamed("lastBuildDate") {
                    dates.updated = FeedDate.read(child)
                } else if child.isNamed("pubDate") {
                    dates.published = FeedDate.read(child)
                } else if child.isNamed("ttl") {
                    if let minutes = child.nonEmptyText.flatMap({ Int($0) }), minutes >= 0 { feed.ttlMinutes = minutes }
                }
                continue
            }
            switch child.namespace {
            case .dc:
                if child.isNamed("date") { dates.updated = FeedDate.read(child) }
                else if child.isNamed("title"), feed.title == nil { feed.title = TextConstruct.plain(child) }
                else if child.isNamed("description") { feed.subtitle = TextConstruct.html(child) ?? feed.subtitle }
            case .dcterms:
                // dcterms:modified is the channel's update date and dcterms:issued its publication date, as
                // lastBuildDate and pubDate are; feedparser keeps dcterms:created apart (no date we show).
                if child.isNamed("modified") { dates.updated = FeedDate.read(child) }
                else if child.isNamed("issued") { dates.published = FeedDate.read(child) }
            case .itunes:
                if child.isNamed("subtitle") { feed.subtitle = TextConstruct.plain(child) ?? feed.subtitle }
            case .atom:
                if child.isNamed("link"), atomLink == nil, isAlternate(child), let href = child.attribute("href") {
                    atomLink = child.resolve(href)
                }
            default:
                break
            }
        }
        if feed.link == nil { feed.link = atomLink }
    }

    /// Reads an item into a new last entry, in place: ParsedEntry holds Dates, whose layout Foundation keeps
    /// resilient, so building a local entry and returning it copied it twice through value witnesses (~730
    /// instructions an item).
    private static func appendItem(_ item: XMLNode, root: XMLNode, to entries: inout [ParsedEntry]) {
        entries.append(ParsedEntry())
        readItem(item, root: root, into: &entries[entries.count - 1])
    }

    private static func readItem(_ item: XMLNode, root: XMLNode, into entry: inout ParsedEntry) {
        var guid: String?, guidIsPermalink = true, atomLink: String?
        var media = MediaImages()
        var bodies = EntryBodies()
        var title = EntryTitle()
        for child in item.children {
            if isRSS(child, root: root) {
                if child.isNamed("title") {
                    title.add(TextConstruct.typedPlain(child), depth: 1, closes: true)
                } else if child.isNamed("link") {
                    if entry.link == nil, let link = child.nonEmptyText { entry.link = child.resolve(link) }
                } else if child.isNamed("guid") {
                    if guid == nil, let text = child.nonEmptyText {
                        guidIsPermalink = child.attribute("isPermaLink")?.lowercased() != "false"
                        guid = guidIsPermalink ? child.resolve(text) : text
                    }
                } else if child.isNamed("description") || child.isNamed("summary") {
                    bodies.addSummary(TextConstruct.html(child))
                } else if child.isNamed("pubDate") {
                    entry.published = FeedDate.read(child)
                } else if child.isNamed("author") {
                    entry.author = child.nonEmptyText ?? entry.author
                } else if child.isNamed("category") {
                    if let category = child.nonEmptyText { entry.categories.append(category) }
                } else if child.isNamed("enclosure") {
                    if let enclosure = readEnclosure(child) { entry.enclosures.append(enclosure) }
                } else if child.isNamed("source") {
                    title.passSource(child)
                }
                continue
            }
            switch child.namespace {
            case .dc:
                if child.isNamed("creator") || child.isNamed("author") {
                    entry.author = child.nonEmptyText ?? entry.author
                } else if child.isNamed("date") {
                    entry.updated = FeedDate.read(child)
                } else if child.isNamed("subject") {
                    if let subject = child.nonEmptyText { entry.categories.append(subject) }
                } else if child.isNamed("title") {
                    title.add(TextConstruct.typedPlain(child), depth: 1, closes: true)
                } else if child.isNamed("description") {
                    bodies.addSummary(TextConstruct.html(child))
                } else if child.isNamed("identifier"), guid == nil {
                    guid = child.nonEmptyText
                    guidIsPermalink = false
                }
            case .dcterms:
                // dcterms:created is kept apart by feedparser (created_parsed), so it sets neither date.
                if child.isNamed("modified") {
                    entry.updated = FeedDate.read(child)
                } else if child.isNamed("issued") {
                    entry.published = FeedDate.read(child)
                }
            case .content:
                if child.isNamed("encoded") { bodies.addContent(TextConstruct.html(child)) }
            case .xhtml:
                if child.isNamed("body") { bodies.addSummaryAndContent(TextConstruct.xhtmlBody(child)) }
            case .itunes:
                if child.isNamed("summary") {
                    bodies.addSummary(TextConstruct.plain(child))
                } else if child.isNamed("author") {
                    entry.author = child.nonEmptyText ?? entry.author
                } else if child.isNamed("category") {
                    if let text = child.attribute("text")?.trimmingWhitespace(), !text.isEmpty { entry.categories.append(text) }
                }
            case .atom:
                if child.isNamed("link"), atomLink == nil, isAlternate(child), let href = child.attribute("href") {
                    atomLink = child.resolve(href)
                } else if child.isNamed("updated") {
                    entry.updated = FeedDate.read(child)
                }
            case .media:
                media.read(child)
                MediaTitles.read(child, depth: 1, into: &title, text: TextConstruct.typedPlain)
                if child.isNamed("category"), let category = child.nonEmptyText { entry.categories.append(category) }
                // feedparser files media:description with the summaries: after a description it becomes content.
                else if child.isNamed("description") { bodies.addSummary(TextConstruct.plain(child)) }
            default:
                break
            }
        }
        bodies.apply(to: &entry)
        entry.title = title.value
        entry.id = guid ?? item.attribute("about", namespace: .rdf)
        entry.link = entry.link ?? atomLink
        if entry.link == nil, let guid, guidIsPermalink { entry.link = guid }
        entry.thumbnail = media.best ?? MediaImages.firstImage(in: entry.enclosures)
    }

    private static func readEnclosure(_ node: XMLNode) -> Enclosure? {
        guard let url = node.attribute("url")?.trimmingWhitespace(), !url.isEmpty else { return nil }
        let length = node.attribute("length").flatMap { Int($0.trimmingWhitespace()) }.flatMap { $0 >= 0 ? $0 : nil }
        let type = node.attribute("type")?.trimmingWhitespace()
        return Enclosure(url: node.resolve(url), length: length, type: type?.isEmpty == false ? type : nil)
    }

    static func isAlternate(_ link: XMLNode) -> Bool {
        let rel = link.attribute("rel") ?? "alternate"
        return rel == "alternate"
    }
}

/// Picks an entry's picture from Media RSS: a thumbnail first, else an image media:content.
struct MediaImages {
    private var thumbnail: String?
    private var imageContent: String?

    var best: String? { thumbnail ?? imageContent }

    mutating func read(_ node: XMLNode, depth: Int = 0) {
        if node.isNamed("thumbnail") {
            if thumbnail == nil, let url = node.attribute("url")?.trimmingWhitespace(), !url.isEmpty {
                thumbnail = node.resolve(url)
            }
        } else if node.isNamed("content") {
            let medium = node.attribute("medium")
            let type = node.attribute("type")
            if imageContent == nil, medium == "image" || (medium == nil && type?.hasPrefix("image/") == true),
               let url = node.attribute("url")?.trimmingWhitespace(), !url.isEmpty {
                imageContent = node.resolve(url)
            }
            readNested(node, depth: depth)
        } else if node.isNamed("group") {
            readNested(node, depth: depth)
        }
    }

    private mutating func readNested(_ node: XMLNode, depth: Int) {
        guard depth < 4 else { return }
        for child in node.children where child.namespace == .media { read(child, depth: depth + 1) }
    }

    static func firstImage(in enclosures: [Enclosure]) -> String? {
        enclosures.first { $0.type?.hasPrefix("image/") == true }?.url
    }
}

/// media:title is a title to feedparser, also inside media:group and media:content (one level deeper each).
enum MediaTitles {
    static func read(_ node: XMLNode, depth: Int, into title: inout EntryTitle, text: (XMLNode) -> String?) {
        if node.isNamed("title") {
            title.add(text(node), depth: depth, closes: false)
        } else if (node.isNamed("group") || node.isNamed("content")), depth < 4 {
            for child in node.children where child.namespace == .media {
                read(child, depth: depth + 1, into: &title, text: text)
            }
        }
    }
}

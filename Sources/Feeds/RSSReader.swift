import Foundation

/// Reads RSS 0.9x/2.0 (`<rss><channel>`) and RSS 1.0 / 0.90 (`<rdf:RDF>`, items beside the channel).
enum RSSReader {
    static func read(root: XMLNode) -> ParsedFeed {
        var feed = ParsedFeed()
        var lastBuildDate: Date?, pubDate: Date?, dcDate: Date?
        for child in root.children {
            let namespace = child.namespace
            guard namespace.isRSS else { continue }
            if child.isNamed("channel") {
                readChannel(child, into: &feed, lastBuildDate: &lastBuildDate, pubDate: &pubDate, dcDate: &dcDate)
            } else if child.isNamed("item") {
                feed.entries.append(readItem(child))
            }
        }
        feed.updated = lastBuildDate ?? pubDate ?? dcDate
        return feed
    }

    private static func readChannel(_ channel: XMLNode, into feed: inout ParsedFeed,
                                    lastBuildDate: inout Date?, pubDate: inout Date?, dcDate: inout Date?) {
        var atomLink: String?
        for child in channel.children {
            switch child.namespace {
            case .none, .rss1, .rss090:
                if child.isNamed("item") {
                    feed.entries.append(readItem(child))
                } else if child.isNamed("title") {
                    if feed.title == nil { feed.title = TextConstruct.title(child.text) }
                } else if child.isNamed("link") {
                    if feed.link == nil, let link = child.nonEmptyText { feed.link = child.resolve(link) }
                } else if child.isNamed("description") {
                    if feed.subtitle == nil { feed.subtitle = child.nonEmptyText }
                } else if child.isNamed("lastBuildDate") {
                    lastBuildDate = lastBuildDate ?? child.nonEmptyText.flatMap(FeedDate.parse)
                } else if child.isNamed("pubDate") {
                    pubDate = pubDate ?? child.nonEmptyText.flatMap(FeedDate.parse)
                } else if child.isNamed("ttl") {
                    if let minutes = child.nonEmptyText.flatMap({ Int($0) }), minutes >= 0 { feed.ttlMinutes = minutes }
                }
            case .dc:
                if child.isNamed("date") { dcDate = dcDate ?? child.nonEmptyText.flatMap(FeedDate.parse) }
                else if child.isNamed("title"), feed.title == nil { feed.title = TextConstruct.title(child.text) }
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

    private static func readItem(_ item: XMLNode) -> ParsedEntry {
        var entry = ParsedEntry()
        var guid: String?, guidIsPermalink = true, atomLink: String?
        var rssAuthor: String?, dcCreator: String?
        var media = MediaImages()
        for child in item.children {
            switch child.namespace {
            case .none, .rss1, .rss090:
                if child.isNamed("title") {
                    if entry.title == nil { entry.title = TextConstruct.title(child.text) }
                } else if child.isNamed("link") {
                    if entry.link == nil, let link = child.nonEmptyText { entry.link = child.resolve(link) }
                } else if child.isNamed("guid") {
                    if guid == nil {
                        guid = child.nonEmptyText
                        guidIsPermalink = child.attribute("isPermaLink")?.lowercased() != "false"
                    }
                } else if child.isNamed("description") {
                    if entry.summary == nil { entry.summary = child.nonEmptyText }
                } else if child.isNamed("pubDate") {
                    entry.published = entry.published ?? child.nonEmptyText.flatMap(FeedDate.parse)
                } else if child.isNamed("author") {
                    rssAuthor = rssAuthor ?? child.nonEmptyText
                } else if child.isNamed("category") {
                    if let category = child.nonEmptyText { entry.categories.append(category) }
                } else if child.isNamed("enclosure") {
                    if let enclosure = readEnclosure(child) { entry.enclosures.append(enclosure) }
                }
            case .dc:
                if child.isNamed("creator") {
                    dcCreator = dcCreator ?? child.nonEmptyText
                } else if child.isNamed("date") {
                    entry.published = entry.published ?? child.nonEmptyText.flatMap(FeedDate.parse)
                } else if child.isNamed("subject") {
                    if let subject = child.nonEmptyText { entry.categories.append(subject) }
                } else if child.isNamed("title"), entry.title == nil {
                    entry.title = TextConstruct.title(child.text)
                } else if child.isNamed("identifier"), guid == nil {
                    guid = child.nonEmptyText
                    guidIsPermalink = false
                }
            case .dcterms:
                if child.isNamed("modified") || child.isNamed("updated") {
                    entry.updated = entry.updated ?? child.nonEmptyText.flatMap(FeedDate.parse)
                } else if child.isNamed("created") || child.isNamed("issued") {
                    entry.published = entry.published ?? child.nonEmptyText.flatMap(FeedDate.parse)
                }
            case .content:
                if child.isNamed("encoded"), entry.content == nil { entry.content = child.nonEmptyText }
            case .atom:
                if child.isNamed("link"), atomLink == nil, isAlternate(child), let href = child.attribute("href") {
                    atomLink = child.resolve(href)
                } else if child.isNamed("updated") {
                    entry.updated = entry.updated ?? child.nonEmptyText.flatMap(FeedDate.parse)
                }
            case .media:
                media.read(child)
            default:
                break
            }
        }
        entry.id = guid ?? item.attribute("about", namespace: .rdf)
        entry.link = entry.link ?? atomLink
        if entry.link == nil, let guid, guidIsPermalink, guid.hasPrefix("http://") || guid.hasPrefix("https://") {
            entry.link = guid
        }
        entry.author = dcCreator ?? rssAuthor
        entry.thumbnail = media.best ?? MediaImages.firstImage(in: entry.enclosures)
        return entry
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

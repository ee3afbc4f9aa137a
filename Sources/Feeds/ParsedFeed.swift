import Foundation

/// A feed as the parser read it: RSS 0.9x/1.0/2.0 or Atom, normalised. Dates are absolute (UTC).
public struct ParsedFeed: Sendable, Equatable {
    public var title: String?
    public var link: String?
    public var subtitle: String?
    public var updated: Date?
    /// RSS `<ttl>`, in minutes, when the publisher gave one.
    public var ttlMinutes: Int?
    /// Items in the publisher's own order (the first is the current headline).
    public var entries: [ParsedEntry]
    /// True when the XML was ill-formed and only what libxml2 could recover was read (as feedparser's `bozo`).
    public var bozo: Bool
    /// Why `bozo` is set: the first well-formedness error, with its line.
    public var bozoMessage: String?

    public init(title: String? = nil, link: String? = nil, subtitle: String? = nil, updated: Date? = nil,
                ttlMinutes: Int? = nil, entries: [ParsedEntry] = [], bozo: Bool = false, bozoMessage: String? = nil) {
        self.title = title
        self.link = link
        self.subtitle = subtitle
        self.updated = updated
        self.ttlMinutes = ttlMinutes
        self.entries = entries
        self.bozo = bozo
        self.bozoMessage = bozoMessage
    }
}

public struct ParsedEntry: Sendable, Equatable {
    /// Plain text (HTML in titles is turned into text).
    public var title: String?
    /// Absolute URL (relative links resolved against xml:base or the feed URL).
    public var link: String?
    /// guid / atom:id / rdf:about.
    public var id: String?
    public var published: Date?
    public var updated: Date?
    /// As the feed gave it (may be HTML).
    public var summary: String?
    /// content:encoded or atom:content (may be HTML).
    public var content: String?
    public var author: String?
    public var categories: [String]
    public var enclosures: [Enclosure]
    /// media:thumbnail, else an image media:content, else an image enclosure.
    public var thumbnail: String?

    public init(title: String? = nil, link: String? = nil, id: String? = nil, published: Date? = nil, updated: Date? = nil,
                summary: String? = nil, content: String? = nil, author: String? = nil, categories: [String] = [],
                enclosures: [Enclosure] = [], thumbnail: String? = nil) {
        self.title = title
        self.link = link
        self.id = id
        self.published = published
        self.updated = updated
        self.summary = summary
        self.content = content
        self.author = author
        self.categories = categories
        self.enclosures = enclosures
        self.thumbnail = thumbnail
    }
}

public struct Enclosure: Sendable, Equatable {
    public var url: String
    public var length: Int?
    public var type: String?

    public init(url: String, length: Int? = nil, type: String? = nil) {
        self.url = url
        self.length = length
        self.type = type
    }
}

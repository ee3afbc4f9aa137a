/// Why bytes could not be turned into a `ParsedFeed`.
public enum FeedParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No bytes, or only whitespace.
    case empty
    /// The body is larger than the parser accepts (the limit, in bytes).
    case tooLarge(limit: Int)
    /// Well-formed enough to read, but the root element is not rss, rdf:RDF or feed.
    case notAFeed(rootElement: String, namespace: String? = nil)
    /// libxml2 could not recover a document at all (not XML, or hopelessly broken).
    case unreadable(message: String)
    /// The document defines entities that expand without bound (a "billion laughs" bomb).
    case entityExpansion

    public var description: String {
        switch self {
        case .empty:
            return "the feed is empty: the server sent no content"
        case .tooLarge(let limit):
            return "the feed is larger than \(limit) bytes; raise the size limit if this publisher really sends feeds this big"
        case .notAFeed(let root, let namespace?):
            return "not an RSS or Atom feed: the document's root element is <\(root)> in the namespace \(namespace), "
                + "which is neither RSS nor Atom; check the feed URL"
        case .notAFeed(let root, nil):
            return "not an RSS or Atom feed: the document's root element is <\(root)> (expected <rss>, <rdf:RDF> or <feed>); check the feed URL"
        case .unreadable(let message):
            return "the feed is not readable XML: \(message)"
        case .entityExpansion:
            return "the feed defines entities that expand without bound (an entity bomb); refused"
        }
    }
}

import Foundation

/// Turns the bytes of an RSS 0.9x/1.0/2.0 or Atom 0.3/1.0 document into a `ParsedFeed`.
public enum FeedParser {
    /// Default size cap: 10 MiB.
    public static let defaultMaxBytes = 10 << 20

    /// Parses a feed. Ill-formed XML is recovered where libxml2 can, and flagged with `bozo`.
    /// - Parameters:
    ///   - baseURL: the URL the feed was fetched from; relative links resolve against it (after any xml:base).
    ///   - maxBytes: larger input is refused before parsing.
    public static func parse(_ bytes: [UInt8], baseURL: String? = nil, maxBytes: Int = defaultMaxBytes) throws(FeedParseError) -> ParsedFeed {
        // withUnsafeBytes rethrows untyped errors, so carry the typed one out in a Result.
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(FeedParseError) in try parse(buffer, baseURL: baseURL, maxBytes: maxBytes) }
        }
        return try result.get()
    }

    public static func parse(_ data: Data, baseURL: String? = nil, maxBytes: Int = defaultMaxBytes) throws(FeedParseError) -> ParsedFeed {
        // withUnsafeBytes rethrows untyped errors, so carry the typed one out in a Result.
        let result = data.withUnsafeBytes { buffer in
            Result { () throws(FeedParseError) in try parse(buffer, baseURL: baseURL, maxBytes: maxBytes) }
        }
        return try result.get()
    }

    /// Reads the file at `path` and parses it (for `newsroom parse FILE` and the benchmark).
    /// The size is checked before the file is read.
    public static func parse(contentsOf path: String, baseURL: String? = nil, maxBytes: Int = defaultMaxBytes) throws(FeedParseError) -> ParsedFeed {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        if let size, size > maxBytes { throw .tooLarge(limit: maxBytes) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(message: "cannot read the file \(path); check that it exists and is readable")
        }
        return try parse(data, baseURL: baseURL, maxBytes: maxBytes)
    }

    static func parse(_ buffer: UnsafeRawBufferPointer, baseURL: String?, maxBytes: Int) throws(FeedParseError) -> ParsedFeed {
        guard buffer.count <= maxBytes else { throw .tooLarge(limit: maxBytes) }
        guard buffer.contains(where: { !isXMLWhitespace($0) }) else { throw .empty }
        guard buffer.count < Int(Int32.max) else { throw .tooLarge(limit: Int(Int32.max)) }
        let encoding = DeclaredEncoding(buffer)
        let document = try XMLDocument.parse(UnsafeRawBufferPointer(rebasing: buffer[encoding.markLength...]),
                                             baseURL: baseURL, encoding: encoding.override)
        guard let root = document.root else { throw .unreadable(message: "the document has no root element") }
        var feed: ParsedFeed
        let namespace = root.namespace
        // The format is the root's local name. A prefixed root in a namespace nobody knows is not a feed
        // (feedparser reads nothing from it); an unknown default namespace is read as the format itself.
        let unknownPrefixed = namespace == .other && root.prefix != nil
        if root.isNamed("rss"), !unknownPrefixed {
            feed = RSSReader.read(root: root)
        } else if root.isNamed("RDF"), namespace == .rdf {
            feed = RSSReader.read(root: root)
        } else if root.isNamed("feed"), !unknownPrefixed {
            feed = AtomReader.read(feed: root)
        } else {
            // Name the namespace when the local name alone would look right ("<x:feed>"), so the message is not
            // the puzzling "root element is <feed> (expected … <feed>)".
            let looksRight = root.isNamed("feed") || root.isNamed("rss") || root.isNamed("RDF")
            throw .notAFeed(rootElement: root.qualifiedName, namespace: looksRight ? root.namespaceURI : nil)
        }
        if let error = document.firstError ?? encoding.bozoMessage ?? doctypeVerdict(buffer, document: document) {
            feed.bozo = true
            feed.bozoMessage = error
        }
        return feed
    }

    /// feedparser's DOCTYPE complaint, read from the bytes as it sees them: without a UTF-8 byte order mark.
    /// (UTF-16/32 documents with a DOCTYPE are left to libxml2's own verdict.)
    private static func doctypeVerdict(_ buffer: UnsafeRawBufferPointer, document: XMLDocument) -> String? {
        let mark = ByteOrderMark(buffer)
        guard mark == nil || mark == .utf8 else { return nil }
        return DoctypeCheck.verdict(UnsafeRawBufferPointer(rebasing: buffer[(mark?.length ?? 0)...]), document: document.pointer)
    }

    private static func isXMLWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

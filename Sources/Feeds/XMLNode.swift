import Foundation
import CLibXML2

/// The namespaces the feed reader understands, classified once per element.
enum FeedNamespace {
    case none, atom, atom03, dc, dcterms, content, media, rdf, rss1, rss090, itunes, xhtml, other

    init(href: UnsafePointer<xmlChar>?) {
        guard let href else { self = .none; return }
        let uri = UnsafeRawPointer(href).assumingMemoryBound(to: CChar.self)
        // Namespace names compare without regard to case, as feedparser compares them.
        self = FeedNamespace.known.first { strcasecmp(uri, $0.uri) == 0 }?.namespace ?? .other
    }

    private static let known: [(uri: String, namespace: FeedNamespace)] = [
        ("http://www.w3.org/2005/Atom", .atom),
        ("http://purl.org/dc/elements/1.1/", .dc),
        ("http://search.yahoo.com/mrss/", .media),
        ("http://purl.org/rss/1.0/modules/content/", .content),
        ("http://purl.org/dc/terms/", .dcterms),
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", .rdf),
        ("http://purl.org/rss/1.0/", .rss1),
        ("http://my.netscape.com/rdf/simple/0.9/", .rss090),
        ("http://purl.org/atom/ns#", .atom03),
        ("http://search.yahoo.com/mrss", .media),
        ("http://channel.netscape.com/rdf/simple/0.9/", .rss090),
        ("http://www.itunes.com/dtds/podcast-1.0.dtd", .itunes),
        ("http://www.w3.org/1999/xhtml", .xhtml),
        // UserLand's optional RSS 2.0 / 0.9x default namespaces: plain RSS elements.
        ("http://backend.userland.com/rss2", .rss1),
        ("http://backend.userland.com/rss", .rss1),
    ]

    /// Plain RSS elements: no namespace, or the RSS 1.0 / 0.90 default namespaces.
    var isRSS: Bool { self == .none || self == .rss1 || self == .rss090 }
    var isAtom: Bool { self == .atom || self == .atom03 }
}

/// A borrowed view of an element in an `XMLDocument` (valid while the document lives).
struct XMLNode {
    let pointer: xmlNodePtr

    var name: String { String(cString: pointer.pointee.name) }
    var namespace: FeedNamespace { FeedNamespace(href: pointer.pointee.ns?.pointee.href) }

    /// The name as written, with its prefix (`a:feed`).
    var qualifiedName: String { prefix.map { "\($0):\(name)" } ?? name }

    /// The namespace prefix as written (`a` in `<a:feed>`), nil for the default namespace.
    var prefix: String? { pointer.pointee.ns?.pointee.prefix.map { String(cString: $0) } }
    var namespaceURI: String? { pointer.pointee.ns?.pointee.href.map { String(cString: $0) } }

    /// True when both elements are in the same namespace (or both in none).
    func sharesNamespace(with other: XMLNode) -> Bool {
        let mine = pointer.pointee.ns?.pointee.href, theirs = other.pointer.pointee.ns?.pointee.href
        guard let mine, let theirs else { return mine == nil && theirs == nil }
        return mine == theirs || xmlStrEqual(mine, theirs) != 0
    }

    var hasElementChildren: Bool {
        var child = pointer.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { return true }
            child = current.pointee.next
        }
        return false
    }

    /// The element's base URL: its xml:base chain over the document URL.
    var base: String? {
        guard let base = xmlNodeGetBase(pointer.pointee.doc, pointer) else { return nil }
        defer { newsroom_xml_free(base) }
        return String(cString: base)
    }

    /// The children written as HTML: elements by local name (prefixes dropped), text escaped.
    var innerHTML: String {
        var out = ""
        XMLNode.appendHTML(of: pointer.pointee.children, to: &out, depth: 0)
        return out
    }

    private static func appendHTML(of first: xmlNodePtr?, to out: inout String, depth: Int) {
        var node = first
        while let current = node {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { out += HTMLEntities.escapeText(String(cString: content)) }
            case XML_ENTITY_REF_NODE:
                var bytes: [UInt8] = []
                if let declaration = current.pointee.children { appendText(of: declaration.pointee.children, to: &bytes) }
                out += HTMLEntities.escapeText(String(decoding: bytes, as: UTF8.self))
            case XML_ELEMENT_NODE where depth < 64:
                let name = String(cString: current.pointee.name)
                out += "<" + name
                var attribute = current.pointee.properties
                while let property = attribute {
                    var bytes: [UInt8] = []
                    appendText(of: property.pointee.children, to: &bytes)
                    let prefix = property.pointee.ns?.pointee.prefix.map { String(cString: $0) + ":" } ?? ""
                    out += " \(prefix)\(String(cString: property.pointee.name))=\"\(HTMLEntities.escapeAttribute(String(decoding: bytes, as: UTF8.self)))\""
                    attribute = property.pointee.next
                }
                if current.pointee.children == nil, HTMLSanitizer.voidElements.contains(name.lowercased()) {
                    out += " />"
                } else {
                    out += ">"
                    appendHTML(of: current.pointee.children, to: &out, depth: depth + 1)
                    out += "</\(name)>"
                }
            default:
                break
            }
            node = current.pointee.next
        }
    }

    /// True when the element's local name is `literal` (compared without allocating).
    func isNamed(_ literal: StaticString) -> Bool {
        strcmp(UnsafeRawPointer(pointer.pointee.name).assumingMemoryBound(to: CChar.self),
               UnsafeRawPointer(literal.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
    }

    /// How many child elements have this local name (to reserve room for a feed's entries up front: growing the
    /// array by doubling copied every entry again, ~1.3 M instructions on a 2 MB feed).
    func countChildren(named literal: StaticString) -> Int {
        children.reduce(0) { $0 + ($1.isNamed(literal) ? 1 : 0) }
    }

    /// Child elements in document order.
    var children: ChildElements { ChildElements(first: pointer.pointee.children) }

    /// The value of an attribute with this local name (any namespace unless `namespace` is given).
    func attribute(_ localName: StaticString, namespace: FeedNamespace? = nil) -> String? {
        var attribute = pointer.pointee.properties
        let wanted = UnsafeRawPointer(localName.utf8Start).assumingMemoryBound(to: CChar.self)
        while let current = attribute {
            let name = UnsafeRawPointer(current.pointee.name).assumingMemoryBound(to: CChar.self)
            if strcmp(name, wanted) == 0,
               namespace == nil || FeedNamespace(href: current.pointee.ns?.pointee.href) == namespace {
                var bytes: [UInt8] = []
                XMLNode.appendText(of: current.pointee.children, to: &bytes)
                return String(decoding: bytes, as: UTF8.self)
            }
            attribute = current.pointee.next
        }
        return nil
    }

    /// All character data inside the element: text, CDATA and internal entity replacements.
    var text: String {
        withTextBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// The text with surrounding whitespace trimmed, as `text.trimmingWhitespace()` gives it (one String built).
    var trimmedText: String {
        withTextBytes { String.trimmingWhitespace($0) }
    }

    /// Trimmed text, or nil when the element is empty.
    var nonEmptyText: String? {
        let value = trimmedText
        return value.isEmpty ? nil : value
    }

    /// Calls `body` with the element's character data as UTF-8; the usual single text node is read in place.
    func withTextBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let only = pointer.pointee.children, only.pointee.next == nil,
           only.pointee.type == XML_TEXT_NODE || only.pointee.type == XML_CDATA_SECTION_NODE,
           let content = only.pointee.content {
            return body(UnsafeBufferPointer(start: content, count: strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self))))
        }
        var bytes: [UInt8] = []
        XMLNode.appendText(of: pointer.pointee.children, to: &bytes)
        return bytes.withUnsafeBufferPointer(body)
    }

    /// The element's children serialized as XML (for Atom `type="xhtml"` content).
    var innerXML: String {
        guard let buffer = xmlBufferCreate() else { return text }
        defer { xmlBufferFree(buffer) }
        var child = pointer.pointee.children
        while let current = child {
            xmlNodeDump(buffer, pointer.pointee.doc, current, 0, 0)
            child = current.pointee.next
        }
        guard let content = xmlBufferContent(buffer) else { return "" }
        return String(cString: content)
    }

    /// Resolves `reference` against this element's xml:base chain and the document URL.
    func resolve(_ reference: String) -> String {
        // An absolute reference comes back unchanged: xmlBuildURI returns a copy of it when it parses, and nil
        // (so the reference as written) when it does not. Most feed links are absolute; when the feed has a URL,
        // skipping the base lookup and the two URI parses saves ~5 400 instructions a link (2 MB CNN feed with a
        // base URL: 141 M -> 96 M instructions).
        guard !XMLNode.hasScheme(reference) else { return reference }
        guard let base = xmlNodeGetBase(pointer.pointee.doc, pointer) else { return reference }
        defer { newsroom_xml_free(base) }
        guard let built = xmlBuildURI(reference, base) else { return reference }
        defer { newsroom_xml_free(built) }
        return String(cString: built)
    }

    /// True when `reference` starts with an RFC 3986 scheme and its colon, as libxml2's URI parser reads one.
    static func hasScheme(_ reference: String) -> Bool {
        // Over the contiguous bytes: the String.UTF8View iterator cost ~375 instructions for "http:".
        var reference = reference
        return reference.withUTF8 { bytes in
            guard let first = bytes.first, isASCIILetter(first) else { return false }
            for byte in bytes.dropFirst() {
                if byte == UInt8(ascii: ":") { return true }
                let isSchemeByte = isASCIILetter(byte) || (byte >= 0x30 && byte <= 0x39)
                    || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                guard isSchemeByte else { return false }
            }
            return false
        }
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    fileprivate static func appendText(of first: xmlNodePtr?, to bytes: inout [UInt8], depth: Int = 0) {
        var node = first
        while let current = node {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content {
                    bytes.append(contentsOf: UnsafeBufferPointer(start: content, count: strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self))))
                }
            case XML_ELEMENT_NODE where depth < 64:
                appendText(of: current.pointee.children, to: &bytes, depth: depth + 1)
            case XML_ENTITY_REF_NODE where depth < 64:
                // An entity reference's `children` is its declaration; the replacement text hangs below that.
                if let declaration = current.pointee.children {
                    appendText(of: declaration.pointee.children, to: &bytes, depth: depth + 1)
                }
            default:
                break
            }
            node = current.pointee.next
        }
    }
}

struct ChildElements: Sequence, IteratorProtocol {
    private var cursor: xmlNodePtr?
    init(first: xmlNodePtr?) { cursor = first }

    mutating func next() -> XMLNode? {
        while let current = cursor {
            cursor = current.pointee.next
            if current.pointee.type == XML_ELEMENT_NODE { return XMLNode(pointer: current) }
        }
        return nil
    }
}

import Foundation
import CLibXML2

/// The namespaces the feed reader understands, classified once per element.
enum FeedNamespace {
    case none, atom, atom03, dc, dcterms, content, media, rdf, rss1, rss090, other

    init(href: UnsafePointer<xmlChar>?) {
        guard let href else { self = .none; return }
        let uri = UnsafeRawPointer(href).assumingMemoryBound(to: CChar.self)
        self = FeedNamespace.known.first { strcmp(uri, $0.uri) == 0 }?.namespace ?? .other
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

    /// True when the element's local name is `literal` (compared without allocating).
    func isNamed(_ literal: StaticString) -> Bool {
        strcmp(UnsafeRawPointer(pointer.pointee.name).assumingMemoryBound(to: CChar.self),
               UnsafeRawPointer(literal.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
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
        if let only = pointer.pointee.children, only.pointee.next == nil,
           only.pointee.type == XML_TEXT_NODE || only.pointee.type == XML_CDATA_SECTION_NODE,
           let content = only.pointee.content {
            return String(cString: content)
        }
        var bytes: [UInt8] = []
        XMLNode.appendText(of: pointer.pointee.children, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Trimmed text, or nil when the element is empty.
    var nonEmptyText: String? {
        let value = text.trimmingWhitespace()
        return value.isEmpty ? nil : value
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
        guard let base = xmlNodeGetBase(pointer.pointee.doc, pointer) else { return reference }
        defer { newsroom_xml_free(base) }
        guard let built = xmlBuildURI(reference, base) else { return reference }
        defer { newsroom_xml_free(built) }
        return String(cString: built)
    }

    private static func appendText(of first: xmlNodePtr?, to bytes: inout [UInt8], depth: Int = 0) {
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

import Foundation
import CLibXML2

/// A parsed libxml2 document; owns the `xmlDocPtr` and frees it when released.
final class XMLDocument {
    let pointer: xmlDocPtr
    /// The first well-formedness error libxml2 reported, if any (the document was recovered).
    let firstError: String?

    private init(pointer: xmlDocPtr, firstError: String?) {
        self.pointer = pointer
        self.firstError = firstError
    }

    deinit { xmlFreeDoc(pointer) }

    var root: XMLNode? { xmlDocGetRootElement(pointer).map(XMLNode.init) }

    /// Parses `bytes` with network access, DTD loading and entity substitution all off, recovering from errors.
    /// - Parameter encoding: read the bytes in this encoding whatever the document declares (nil: as declared).
    static func parse(_ bytes: UnsafeRawBufferPointer, baseURL: String?, encoding: String? = nil) throws(FeedParseError) -> XMLDocument {
        LibXML2.initialize()
        guard let context = xmlNewParserCtxt() else { throw .unreadable(message: "libxml2 could not allocate a parser") }
        defer { xmlFreeParserCtxt(context) }
        let errors = ParseErrorCollector()
        let unmanaged = Unmanaged.passRetained(errors)
        defer { unmanaged.release() }
        context.pointee._private = unmanaged.toOpaque()
        // Route errors to this parse's collector; libxml2 must not print to stderr.
        context.pointee.sax.pointee.serror = { userData, error in
            guard let userData, let error else { return }
            let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
            guard let owner = context.pointee._private else { return }
            Unmanaged<ParseErrorCollector>.fromOpaque(owner).takeUnretainedValue().record(error.pointee)
        }
        // With an encoding given, the declaration's own name is ignored (it may be one libxml2 does not know).
        let options = Int32(bitPattern: XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue
            | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_COMPACT.rawValue
            | XML_PARSE_BIG_LINES.rawValue | (encoding != nil ? XML_PARSE_IGNORE_ENC.rawValue : 0))
        let base = bytes.baseAddress!.assumingMemoryBound(to: CChar.self)
        let document = xmlCtxtReadMemory(context, base, Int32(bytes.count), baseURL, encoding, options)
        if errors.sawEntityLoop {
            if let document { xmlFreeDoc(document) }
            throw .entityExpansion
        }
        guard let document else {
            throw .unreadable(message: errors.firstMessage ?? "libxml2 recovered no document")
        }
        guard xmlDocGetRootElement(document) != nil else {
            xmlFreeDoc(document)
            throw .unreadable(message: errors.firstMessage ?? "the document has no root element")
        }
        if EntityExpansionCheck.needed(for: document) {
            var check = EntityExpansionCheck(inputSize: bytes.count)
            guard check.allows(document) else {
                xmlFreeDoc(document)
                throw .entityExpansion
            }
        }
        let firstError = errors.firstMessage ?? (context.pointee.wellFormed == 0 ? "the document is not well-formed XML" : nil)
        return XMLDocument(pointer: document, firstError: firstError)
    }
}

/// Collects the errors of one parse; reached from libxml2's C callback through the context's `_private`.
final class ParseErrorCollector {
    private(set) var firstMessage: String?
    private(set) var sawEntityLoop = false

    func record(_ error: xmlError) {
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        if error.code == Int32(XML_ERR_ENTITY_LOOP.rawValue) { sawEntityLoop = true }
        guard firstMessage == nil else { return }
        var message = error.message.map { String(cString: $0) } ?? "error \(error.code)"
        message = message.trimmingWhitespace()
        firstMessage = error.line > 0 ? "line \(error.line): \(message)" : message
    }
}

enum LibXML2 {
    /// Initializes libxml2's global tables once, before any thread parses.
    static func initialize() { _ = initialized }
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()
}

extension String {
    func trimmingWhitespace() -> String {
        // Fast path: most values start and end with a visible ASCII character, so nothing needs trimming.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F { return self }
        var copy = self
        return copy.withUTF8 { bytes in
            guard let bounds = WhitespaceTrim.asciiBounds(bytes) else { return trimmingWhitespaceCharacters() }
            return bounds.count == bytes.count ? self : String(decoding: UnsafeBufferPointer(rebasing: bytes[bounds]), as: UTF8.self)
        }
    }

    /// Trims whole Characters with Unicode's White_Space (no-break spaces, U+3000 …): the rule for every value.
    fileprivate func trimmingWhitespaceCharacters() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// The same trim of UTF-8 bytes (libxml2's text), made into a String once.
    static func trimmingWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let bounds = WhitespaceTrim.asciiBounds(bytes) else {
            return String(decoding: bytes, as: UTF8.self).trimmingWhitespaceCharacters()
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[bounds]), as: UTF8.self)
    }
}

/// `Character.isWhitespace` trimming decided on UTF-8 bytes, for the common case where it can be: the ASCII
/// whitespace at each end (tab to carriage return, space) is trimmed when the byte it stops at is ASCII too. A
/// non-ASCII byte there may be more whitespace (U+00A0) or a combining mark that makes the space part of a
/// non-whitespace Character, so those cases are left to the Character-level trim. (On a 2 MB CNN feed the
/// Character-level trim cost 9.4 M instructions, ~1 100 a value with a second String built; the byte bounds
/// cost ~35 a value, and the trimmed String is the only one built.)
enum WhitespaceTrim {
    static func asciiBounds(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var start = 0, end = bytes.count
        while start < end, isASCIIWhitespace(bytes[start]) { start += 1 }
        if start < end, bytes[start] >= 0x80 { return nil }
        while end > start, isASCIIWhitespace(bytes[end - 1]) { end -= 1 }
        if end > start, bytes[end - 1] >= 0x80 { return nil }
        return start..<end
    }

    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}

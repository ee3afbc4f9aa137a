import CLibXML2

/// Decides the encoding to read a document in when its bytes and its declaration disagree, as feedparser decides:
///
/// - The "smart quotes" case: documents declared ISO-8859-1 or US-ASCII that really hold Windows-1252 bytes
///   (curly quotes, dashes, the euro sign in 0x80–0x9F) are read as Windows-1252.
/// - A byte order mark wins over a declaration that names another encoding. feedparser flags it (bozo) unless
///   the declaration still reads the bytes: a UTF-8 BOM on a Latin-1 declaration reads the same text (feedparser
///   repairs each value back to UTF-8), but a UTF-16 or UTF-32 BOM on a UTF-8 declaration does not.
/// - An encoding nobody knows is read as UTF-8 (Windows-1252 when the bytes are not UTF-8), flagged.
///
/// libxml2 is told the encoding instead of trusting the declaration.
struct DeclaredEncoding {
    /// The encoding to read with instead of the declared one, if any.
    let override: String?
    /// Why the document is flagged (feedparser's bozo), when the reading contradicts the declaration.
    let bozoMessage: String?
    /// Bytes of byte order mark to leave out when reading with `override` (libxml2 would read them as text).
    private(set) var markLength = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        let mark = ByteOrderMark(bytes)
        let declared = DeclaredEncoding.declaredName(bytes, after: mark)
        if let mark, mark != .utf8 {
            self = DeclaredEncoding.wideMark(mark, declared: declared)
        } else if mark == .utf8 {
            self = DeclaredEncoding.utf8Mark(bytes, declared: declared)
        } else {
            self = DeclaredEncoding.noMark(bytes, declared: declared)
        }
        if override != nil, let mark { markLength = mark.length }
    }

    private init(override: String? = nil, bozoMessage: String? = nil) {
        self.override = override
        self.bozoMessage = bozoMessage
    }

    /// UTF-16/32: a declaration that does not name the family (or none: feedparser then assumes UTF-8) is overridden.
    private static func wideMark(_ mark: ByteOrderMark, declared: String?) -> DeclaredEncoding {
        if let declared, genericWide.contains(declared) || declared.replacingOccurrences(of: "_", with: "-") == mark.name {
            return .init()
        }
        return .init(override: mark.name.uppercased(),
                     bozoMessage: "document declared as \(declared ?? "utf-8"), but parsed as \(mark.name)")
    }

    /// UTF-8 BOM: the bytes are UTF-8 whatever the declaration says; only a declaration that cannot read them
    /// (US-ASCII with non-ASCII bytes, an unknown name) is flagged. Bytes that are not UTF-8 are Windows-1252.
    private static func utf8Mark(_ bytes: UnsafeRawBufferPointer, declared: String?) -> DeclaredEncoding {
        guard isValidUTF8(bytes) else {
            return .init(override: "windows-1252", bozoMessage: "document declared as utf-8, but parsed as windows-1252")
        }
        guard let declared, !utf8Names.contains(declared) else { return .init() }
        // feedparser reads with the declaration and then repairs each value back to UTF-8: the same text. US-ASCII
        // cannot read non-ASCII bytes and an unknown name reads nothing, so feedparser falls back to the BOM, flagged.
        let flagged = asciiNames.contains(declared) ? bytes.contains { $0 >= 0x80 } : !isKnown(declared)
        return .init(override: "UTF-8", bozoMessage: flagged ? "document declared as \(declared), but parsed as utf-8" : nil)
    }

    private static func noMark(_ bytes: UnsafeRawBufferPointer, declared: String?) -> DeclaredEncoding {
        guard let declared else { return .init() }
        if latin1Names.contains(declared) {
            if bytes.contains(where: { $0 >= 0x80 && $0 <= 0x9F }) { return .init(override: "windows-1252") }
        } else if asciiNames.contains(declared) {
            if bytes.contains(where: { $0 >= 0x80 }) {
                return .init(override: "windows-1252", bozoMessage: "document declared as \(declared), but parsed as windows-1252")
            }
        } else if !isKnown(declared) {
            let reading = isValidUTF8(bytes) ? "utf-8" : "windows-1252"
            return .init(override: reading, bozoMessage: "document declared as \(declared), but parsed as \(reading)")
        }
        return .init()
    }

    private static let utf8Names: Set<String> = ["utf-8", "utf8", "u8", "utf_8"]
    private static let latin1Names: Set<String> = ["iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1", "iso-latin-1"]
    private static let asciiNames: Set<String> = ["us-ascii", "ascii", "iso646-us", "ansi_x3.4-1968"]
    /// Names feedparser reads as "whatever the byte order mark says".
    private static let genericWide: Set<String> = [
        "u16", "utf-16", "utf16", "utf_16", "u32", "utf-32", "utf32", "utf_32", "iso-10646-ucs-2", "iso-10646-ucs-4",
        "csucs4", "csunicode", "ucs-2", "ucs-4",
    ]

    /// True when libxml2 has a converter for the name (its own or iconv's).
    private static func isKnown(_ name: String) -> Bool {
        guard let handler = xmlFindCharEncodingHandler(name) else { return false }
        xmlCharEncCloseFunc(handler)
        return true
    }

    private static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // Fast path: ASCII documents are UTF-8.
        guard bytes.contains(where: { $0 >= 0x80 }) else { return true }
        return String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) != nil
    }

    /// The lowercased `encoding="…"` of an XML declaration at the very start (after any BOM), if any.
    private static func declaredName(_ bytes: UnsafeRawBufferPointer, after mark: ByteOrderMark?) -> String? {
        // The declaration is ASCII: in UTF-16/32 take the one significant byte of each code unit.
        let skip = mark?.length ?? 0
        let width = mark?.unitWidth ?? 1
        let significant = mark?.isBigEndian == true ? width - 1 : 0
        var head: [UInt8] = []
        var index = skip + significant
        while index < bytes.count, head.count < 256 {
            head.append(bytes[index])
            index += width
        }
        guard head.starts(with: Array("<?xml".utf8)), let end = head.firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let declaration = String(decoding: head[..<end], as: UTF8.self)
        guard let key = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[key.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let value = rest.dropFirst().prefix { $0 != quote }
        return value.isEmpty ? nil : value.lowercased()
    }
}

/// A byte order mark at the start of the document.
enum ByteOrderMark {
    case utf8, utf16LE, utf16BE, utf32LE, utf32BE

    init?(_ bytes: UnsafeRawBufferPointer) {
        let head = Array(bytes.prefix(4))
        if head.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { self = .utf32BE }
        else if head.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { self = .utf32LE }
        else if head.starts(with: [0xFE, 0xFF]) { self = .utf16BE }
        else if head.starts(with: [0xFF, 0xFE]) { self = .utf16LE }
        else if head.starts(with: [0xEF, 0xBB, 0xBF]) { self = .utf8 }
        else { return nil }
    }

    /// Python's name for the encoding (as feedparser's messages give it).
    var name: String {
        switch self {
        case .utf8: "utf-8"
        case .utf16LE: "utf-16le"
        case .utf16BE: "utf-16be"
        case .utf32LE: "utf-32le"
        case .utf32BE: "utf-32be"
        }
    }

    var length: Int {
        switch self {
        case .utf8: 3
        case .utf16LE, .utf16BE: 2
        case .utf32LE, .utf32BE: 4
        }
    }

    var unitWidth: Int {
        switch self {
        case .utf8: 1
        case .utf16LE, .utf16BE: 2
        case .utf32LE, .utf32BE: 4
        }
    }

    var isBigEndian: Bool { self == .utf16BE || self == .utf32BE }
}

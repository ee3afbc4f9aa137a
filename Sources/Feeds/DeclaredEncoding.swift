/// The "smart quotes" case: documents declared ISO-8859-1 or US-ASCII that really hold Windows-1252 bytes
/// (curly quotes, dashes, the euro sign in 0x80–0x9F). feedparser reads them as Windows-1252; so do we, by
/// telling libxml2 the encoding instead of letting it trust the declaration.
struct DeclaredEncoding {
    /// The encoding to read with instead of the declared one, if any.
    let override: String?
    /// Why the document is flagged (feedparser's bozo), when the override contradicts the declaration.
    let bozoMessage: String?

    init(_ bytes: UnsafeRawBufferPointer) {
        self.init(override: nil, bozoMessage: nil)
        guard let declared = DeclaredEncoding.declaredName(bytes) else { return }
        switch declared {
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1", "iso-latin-1":
            if bytes.contains(where: { $0 >= 0x80 && $0 <= 0x9F }) { self = .init(override: "windows-1252", bozoMessage: nil) }
        case "us-ascii", "ascii", "iso646-us", "ansi_x3.4-1968":
            if bytes.contains(where: { $0 >= 0x80 }) {
                self = .init(override: "windows-1252",
                             bozoMessage: "document declared as \(declared), but parsed as windows-1252")
            }
        default:
            break
        }
    }

    private init(override: String?, bozoMessage: String?) {
        self.override = override
        self.bozoMessage = bozoMessage
    }

    /// The lowercased `encoding="…"` of an XML declaration at the very start (no byte order mark), if any.
    private static func declaredName(_ bytes: UnsafeRawBufferPointer) -> String? {
        let head = Array(bytes.prefix(256))
        guard head.starts(with: Array("<?xml".utf8)), let end = head.firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let declaration = String(decoding: head[..<end], as: UTF8.self)
        guard let key = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[key.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let value = rest.dropFirst().prefix { $0 != quote }
        return value.isEmpty ? nil : value.lowercased()
    }
}

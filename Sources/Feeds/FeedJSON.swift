import Foundation

/// The `newsroom parse --json` output: a fixed key order, absent values omitted, dates as UTC `…Z`.
/// Written straight into bytes: on a feed of thousands of entries, string building would cost more than parsing.
public enum FeedJSON {
    public static func encode(_ feed: ParsedFeed) -> String {
        String(decoding: encodedBytes(feed), as: UTF8.self)
    }

    public static func encodedBytes(_ feed: ParsedFeed) -> [UInt8] {
        var out = JSONBytes()
        out.reserve(feed.entries.count * 2_048 + 1_024)
        out.raw("{\"feed\": ")
        var header = out.object()
        header.add("title", feed.title, to: &out)
        header.add("link", feed.link, to: &out)
        header.add("subtitle", feed.subtitle, to: &out)
        header.add("updated", feed.updated, to: &out)
        out.raw("}, \"entries\": [")
        for (index, entry) in feed.entries.enumerated() {
            if index > 0 { out.raw(", ") }
            encode(entry: entry, into: &out)
        }
        out.raw("], \"bozo\": ")
        out.raw(feed.bozo ? "true" : "false")
        out.raw("}")
        return out.bytes
    }

    private static func encode(entry: ParsedEntry, into out: inout JSONBytes) {
        var object = out.object()
        object.add("title", entry.title, to: &out)
        object.add("link", entry.link, to: &out)
        object.add("id", entry.id, to: &out)
        object.add("published", entry.published, to: &out)
        // feedparser's `updated` falls back to `published` when the entry has no update date of its own.
        object.add("updated", entry.updated ?? entry.published, to: &out)
        object.add("summary", entry.summary, to: &out)
        object.add("content", entry.content, to: &out)
        object.add("author", entry.author, to: &out)
        if !entry.categories.isEmpty {
            object.key("categories", to: &out)
            out.raw("[")
            for (index, category) in entry.categories.enumerated() {
                if index > 0 { out.raw(", ") }
                out.string(category)
            }
            out.raw("]")
        }
        if !entry.enclosures.isEmpty {
            object.key("enclosures", to: &out)
            out.raw("[")
            for (index, enclosure) in entry.enclosures.enumerated() {
                if index > 0 { out.raw(", ") }
                var item = out.object()
                item.add("url", enclosure.url, to: &out)
                if let length = enclosure.length {
                    item.key("length", to: &out)
                    out.rawText(String(length))
                }
                item.add("type", enclosure.type, to: &out)
                out.raw("}")
            }
            out.raw("]")
        }
        object.add("thumbnail", entry.thumbnail, to: &out)
        out.raw("}")
    }

    /// ISO 8601 in UTC with a `Z`, whole seconds (e.g. `2003-12-31T10:14:55Z`).
    public static func timestamp(_ date: Date) -> String {
        var out = JSONBytes()
        out.timestamp(date)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    static func quoted(_ string: String) -> String {
        var out = JSONBytes()
        out.string(string)
        return String(decoding: out.bytes, as: UTF8.self)
    }
}

/// A JSON writer over a byte buffer.
private struct JSONBytes {
    var bytes: [UInt8] = []

    mutating func reserve(_ count: Int) { bytes.reserveCapacity(count) }
    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
    /// Named apart from `raw(_: StaticString)`: as an overload it took every string literal (a literal prefers
    /// String), and appending a String's UTF8View cost ~170 instructions where the literal's bytes cost ~30.
    mutating func rawText(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// Starts an object; its members are written through the returned cursor, and the caller closes it with `}`.
    mutating func object() -> ObjectCursor {
        raw("{")
        return ObjectCursor()
    }

    /// A JSON string: quotes, backslashes and control characters escaped, and U+2028/2029 too (JavaScript).
    mutating func string(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var runStart = 0
            var index = 0
            while index < utf8.count {
                // Eight bytes at a time while none of them needs a look: ~7 -> ~2 instructions a byte of text.
                if index + 8 <= utf8.count,
                   !JSONBytes.mayNeedEscape(UnsafeRawPointer(utf8.baseAddress! + index).loadUnaligned(as: UInt64.self)) {
                    index += 8
                    continue
                }
                let byte = utf8[index]
                // Nearly every byte is written as it is: tested first, before the escapes are looked at.
                if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte != 0xE2 { index += 1; continue }
                var escape: StaticString?
                switch byte {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x08: escape = "\\b"
                case 0x0C: escape = "\\f"
                case 0xE2 where index + 2 < utf8.count && utf8[index + 1] == 0x80 && (utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9):
                    escape = utf8[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                default:
                    break
                }
                if escape == nil, byte >= 0x20 { index += 1; continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                if let escape {
                    raw(escape)
                    index += byte == 0xE2 ? 3 : 1
                } else {
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: Array("\\u00".utf8))
                    bytes.append(hex[Int(byte >> 4)])
                    bytes.append(hex[Int(byte & 0x0F)])
                    index += 1
                }
                runStart = index
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// True when one of the eight bytes in `word` is a control character, `"`, `\\` or 0xE2 (the lead byte of
    /// U+2028/2029), found with the classic SWAR tests: `(x - 0x01…01 * n) & ~x & 0x80…80` is non-zero exactly
    /// when some byte of x is below n (n ≤ 0x80), and a byte equal to b is a zero byte of `x ^ (0x01…01 * b)`.
    static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highBits: UInt64 = 0x8080_8080_8080_8080
        func hasByteBelow(_ x: UInt64, _ n: UInt64) -> Bool { (x &- ones &* n) & ~x & highBits != 0 }
        func hasByte(_ b: UInt64) -> Bool { hasByteBelow(word ^ (ones &* b), 1) }
        return hasByteBelow(word, 0x20) || hasByte(0x22) || hasByte(0x5C) || hasByte(0xE2)
    }

    /// `"YYYY-MM-DDThh:mm:ssZ"` computed from the epoch (proleptic Gregorian, UTC).
    mutating func quotedTimestamp(_ date: Date) {
        bytes.append(UInt8(ascii: "\""))
        timestamp(date)
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func timestamp(_ date: Date) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = JSONBytes.civil(fromDays: days)
        guard (0...9999).contains(year) else {
            // A year outside four digits, never seen in a feed: written field by field.
            digits(year, width: 4); raw("-"); digits(month, width: 2); raw("-"); digits(day, width: 2)
            raw("T"); digits(secondOfDay / 3600, width: 2); raw(":"); digits(secondOfDay / 60 % 60, width: 2)
            raw(":"); digits(secondOfDay % 60, width: 2); raw("Z")
            return
        }
        // Every field fits its width: the digits go into a template appended at once. Field by field, with a
        // String made of each number, a timestamp cost ~3 800 instructions; now ~450.
        let template: StaticString = "0000-00-00T00:00:00Z"
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: template.utf8CodeUnitCount) { text in
            _ = text.initialize(from: UnsafeBufferPointer(start: template.utf8Start, count: template.utf8CodeUnitCount))
            JSONBytes.place(year, width: 4, at: 0, in: text)
            JSONBytes.place(month, width: 2, at: 5, in: text)
            JSONBytes.place(day, width: 2, at: 8, in: text)
            JSONBytes.place(secondOfDay / 3600, width: 2, at: 11, in: text)
            JSONBytes.place(secondOfDay / 60 % 60, width: 2, at: 14, in: text)
            JSONBytes.place(secondOfDay % 60, width: 2, at: 17, in: text)
            bytes.append(contentsOf: text)
        }
    }

    /// Writes `value` (0 ..< 10^width) as `width` decimal digits at `offset`.
    private static func place(_ value: Int, width: Int, at offset: Int, in text: UnsafeMutableBufferPointer<UInt8>) {
        var value = value
        for index in (offset..<(offset + width)).reversed() {
            text[index] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        }
    }

    private mutating func digits(_ value: Int, width: Int) {
        let text = String(value)
        if text.utf8.count < width { bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - text.utf8.count)) }
        bytes.append(contentsOf: text.utf8)
    }

    /// Howard Hinnant's days-to-civil algorithm.
    private static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// Writes `"key": value` members with the commas between them.
private struct ObjectCursor {
    private var count = 0

    mutating func key(_ name: StaticString, to out: inout JSONBytes) {
        if count > 0 { out.raw(", ") }
        count += 1
        out.raw("\"")
        out.raw(name)
        out.raw("\": ")
    }

    mutating func add(_ name: StaticString, _ value: String?, to out: inout JSONBytes) {
        guard let value else { return }
        key(name, to: &out)
        out.string(value)
    }

    mutating func add(_ name: StaticString, _ value: Date?, to out: inout JSONBytes) {
        guard let value else { return }
        key(name, to: &out)
        out.quotedTimestamp(value)
    }
}

import CLibXML2

/// Turns an HTML fragment into one line of plain text: tags stripped, script/style dropped,
/// entities decoded, whitespace collapsed. Used for titles and article summaries.
public enum HTMLText {
    public static func plainText(_ html: String) -> String {
        var scanner = HTMLScanner(input: Array(html.utf8))
        scanner.run()
        return String(decoding: scanner.output, as: UTF8.self)
    }

    /// Collapses runs of whitespace into single spaces and trims the ends (no HTML decoding).
    static func collapseWhitespace(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        var previous: UInt8 = 0
        for byte in text.utf8 {
            defer { previous = byte }
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C {
                pendingSpace = !output.isEmpty
            } else if byte == 0xC2 {
                continue  // decided by the next byte: a no-break space (C2 A0) counts as whitespace
            } else if previous == 0xC2 && byte == 0xA0 {
                pendingSpace = !output.isEmpty
            } else {
                if previous == 0xC2 {
                    if pendingSpace { output.append(0x20); pendingSpace = false }
                    output.append(0xC2)
                }
                if pendingSpace { output.append(0x20); pendingSpace = false }
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

private struct HTMLScanner {
    let input: [UInt8]
    var index = 0
    var output: [UInt8] = []
    var pendingSpace = false

    init(input: [UInt8]) {
        self.input = input
        output.reserveCapacity(input.count)
    }

    mutating func run() {
        while index < input.count {
            let byte = input[index]
            switch byte {
            case UInt8(ascii: "<"):
                if !readMarkup() { emit(byte); index += 1 }
            case UInt8(ascii: "&"):
                if !readEntity() { emit(byte); index += 1 }
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
                space()
                index += 1
            case 0xC2 where index + 1 < input.count && input[index + 1] == 0xA0:
                space()  // a raw no-break space
                index += 2
            default:
                emit(byte)
                index += 1
            }
        }
    }

    private mutating func emit(_ byte: UInt8) {
        if pendingSpace { output.append(0x20); pendingSpace = false }
        output.append(byte)
    }

    private mutating func space() { pendingSpace = !output.isEmpty }

    private mutating func emit(scalar value: UInt32) {
        guard let scalar = Unicode.Scalar(value), value != 0 else { emit(scalarBytes: "\u{FFFD}"); return }
        if scalar == "\u{A0}" || scalar.properties.isWhitespace { space(); return }
        emit(scalarBytes: String(Character(scalar)))
    }

    private mutating func emit(scalarBytes string: String) {
        for byte in string.utf8 { emit(byte) }
    }

    /// A tag, comment or declaration starting at `<`; false when the `<` is just text.
    private mutating func readMarkup() -> Bool {
        guard index + 1 < input.count else { return false }
        let next = input[index + 1]
        if next == UInt8(ascii: "!") {
            if matches("<!--", at: index) {
                index = find("-->", from: index + 4).map { $0 + 3 } ?? input.count
            } else {
                index = find(">", from: index).map { $0 + 1 } ?? input.count
            }
            return true
        }
        let isClosing = next == UInt8(ascii: "/")
        guard isLetter(next) || isClosing || next == UInt8(ascii: "?") else { return false }
        var cursor = index + (isClosing ? 2 : 1)
        let nameStart = cursor
        while cursor < input.count, isLetter(input[cursor]) || (input[cursor] >= 0x30 && input[cursor] <= 0x39) { cursor += 1 }
        let name = String(decoding: input[nameStart..<cursor], as: UTF8.self).lowercased()
        // Skip attributes, honouring quotes so a ">" inside a value does not end the tag.
        var quote: UInt8?
        while cursor < input.count {
            let byte = input[cursor]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                break
            }
            cursor += 1
        }
        // A `<` whose tag never closes is text: plain-text titles keep `a <word b` (as feedparser gives it)
        // rather than losing everything after the `<`.
        guard cursor < input.count else { return false }
        index = cursor + 1
        if !isClosing, name == "script" || name == "style" {
            index = findClosingTag(name, from: index)
        }
        if HTMLScanner.breakingTags.contains(name) { space() }
        return true
    }

    private mutating func readEntity() -> Bool {
        guard let end = input[index..<min(input.count, index + 34)].firstIndex(of: UInt8(ascii: ";")), end > index + 1 else {
            return false
        }
        let body = input[(index + 1)..<end]
        if body.first == UInt8(ascii: "#") {
            let digits = body.dropFirst()
            let isHex = digits.first == UInt8(ascii: "x") || digits.first == UInt8(ascii: "X")
            let text = String(decoding: isHex ? digits.dropFirst() : digits, as: UTF8.self)
            guard !text.isEmpty, let value = UInt32(text, radix: isHex ? 16 : 10) else { return false }
            emit(scalar: value)
        } else {
            guard body.allSatisfy({ isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) }) else { return false }
            let name = String(decoding: body, as: UTF8.self)
            if name == "apos" {
                emit(UInt8(ascii: "'"))
            } else if let entity = htmlEntityLookup(name) {
                emit(scalar: entity.pointee.value)
            } else {
                return false
            }
        }
        index = end + 1
        return true
    }

    private func findClosingTag(_ name: String, from start: Int) -> Int {
        let needle = Array("</\(name)".utf8)
        var cursor = start
        while cursor + needle.count <= input.count {
            if input[cursor] == UInt8(ascii: "<"), zip(needle, input[cursor..<(cursor + needle.count)]).allSatisfy({ $0 == lower($1) }) {
                return find(">", from: cursor).map { $0 + 1 } ?? input.count
            }
            cursor += 1
        }
        return input.count
    }

    private func matches(_ literal: String, at position: Int) -> Bool {
        matches(Array(literal.utf8), at: position)
    }

    private func matches(_ needle: [UInt8], at position: Int) -> Bool {
        position + needle.count <= input.count && input[position..<(position + needle.count)].elementsEqual(needle)
    }

    private func find(_ literal: String, from start: Int) -> Int? {
        let needle = Array(literal.utf8)
        var cursor = start
        while cursor < input.count {
            if input[cursor] == needle[0], matches(needle, at: cursor) { return cursor }
            cursor += 1
        }
        return nil
    }

    private func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    private func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    /// Tags that separate words when rendered.
    private static let breakingTags: Set<String> = [
        "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "hr", "section", "article", "header", "footer", "figure", "figcaption", "dt", "dd", "img",
    ]
}

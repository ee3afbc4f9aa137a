import CLibXML2

/// Whether feedparser flags a document (bozo) for its DOCTYPE. feedparser rewrites the prolog (the bytes before
/// the first `<` and a word character) before its XML parser sees it: it deletes the entity declarations that
/// begin a line, deletes each DOCTYPE that begins a line up to its first `>`, and, when there was one such
/// DOCTYPE, puts back only the "safe" entities (a word name and a double-quoted value without `&`, or a single
/// character reference). Its parser then fails, and the document is bozo, when
/// - part of an internal subset is left behind (the DOCTYPE ended at a `>` inside it: `<!ELEMENT …>`, a comment,
///   or declarations that do not begin a line), or
/// - the document uses an entity the rewrite dropped (SYSTEM, single-quoted, nested references).
/// We parse the original with libxml2 (entities stay safe through EntityExpansionCheck and no external loading);
/// this only tells whether feedparser would flag it.
enum DoctypeCheck {
    /// feedparser's complaint about the prolog, or nil when it reads cleanly.
    static func verdict(_ bytes: UnsafeRawBufferPointer, document: xmlDocPtr) -> String? {
        guard let rootStart = rootStart(bytes) else { return nil }
        var head = Array(bytes[..<rootStart])
        guard contains(head, "<!ENTITY") || contains(head, "<!DOCTYPE") else { return nil }

        let entities = lineStartMatches(of: "<!ENTITY", in: head)
        let removedNames = Set(entities.compactMap { generalEntityName(head[$0.body]) })
        head = removing(entities, from: head)
        let doctypes = lineStartMatches(of: "<!DOCTYPE", in: head)
        let kept = doctypes.count == 1 ? Set(entities.compactMap { safeEntityName(bytes[$0.body]) }) : []
        if let leftover = leftoverAfter(doctypes, in: head), leftover {
            return "the DOCTYPE ends at a \">\" inside its internal subset, leaving declarations behind (feedparser: syntax error)"
        }
        let dropped = removedNames.subtracting(kept)
        if let name = firstReference(in: document, toAnyOf: dropped) {
            return "the entity &\(name); is declared in a form feedparser does not keep (undefined entity)"
        }
        return nil
    }

    /// A declaration found by feedparser's line-anchored pattern: `range` is what it deletes (from the line start),
    /// `body` what lies between the keyword and the first `>`.
    struct Match {
        let range: Range<Int>
        let body: Range<Int>
    }

    /// Where the root element starts: the first `<` followed by an ASCII word character.
    private static func rootStart(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "<"), isWord(bytes[index + 1]) { return index }
            index += 1
        }
        return nil
    }

    /// Occurrences of `keyword` with only whitespace between them and a line start, each up to its first `>`,
    /// left to right without overlap (as Python's `re.findall` with `^\s*keyword([^>]*?)>` and MULTILINE).
    static func lineStartMatches(of keyword: String, in head: [UInt8]) -> [Match] {
        let needle = Array(keyword.utf8)
        var matches: [Match] = []
        var searchFrom = 0
        var index = 0
        while index + needle.count <= head.count {
            guard head[index] == needle[0], head[index..<(index + needle.count)].elementsEqual(needle) else { index += 1; continue }
            guard let lineStart = lineStart(before: index, in: head, notBefore: searchFrom),
                  let close = head[(index + needle.count)...].firstIndex(of: UInt8(ascii: ">")) else { index += 1; continue }
            matches.append(Match(range: lineStart..<(close + 1), body: (index + needle.count)..<close))
            searchFrom = close + 1
            index = close + 1
        }
        return matches
    }

    /// The earliest line start at or after `floor` from which only whitespace leads to `index`.
    private static func lineStart(before index: Int, in head: [UInt8], notBefore floor: Int) -> Int? {
        var earliest: Int?
        var cursor = index
        while true {
            if cursor == 0 || head[cursor - 1] == UInt8(ascii: "\n") { earliest = cursor }
            guard cursor > floor, isSpace(head[cursor - 1]) else { break }
            cursor -= 1
        }
        return earliest
    }

    private static func removing(_ matches: [Match], from head: [UInt8]) -> [UInt8] {
        guard !matches.isEmpty else { return head }
        var out: [UInt8] = []
        var from = 0
        for match in matches {
            out += head[from..<match.range.lowerBound]
            from = match.range.upperBound
        }
        return out + head[from...]
    }

    /// True when something other than whitespace, comments or processing instructions follows the deleted
    /// DOCTYPEs (nil when no DOCTYPE was deleted).
    private static func leftoverAfter(_ doctypes: [Match], in head: [UInt8]) -> Bool? {
        guard let last = doctypes.last else { return nil }
        var index = last.range.upperBound
        while index < head.count {
            if isSpace(head[index]) { index += 1; continue }
            if starts(head, "<!--", at: index), let end = find(head, "-->", from: index + 4) { index = end + 3; continue }
            if starts(head, "<?", at: index), let end = find(head, "?>", from: index + 2) { index = end + 2; continue }
            return true
        }
        return false
    }

    /// The name a general entity declaration gives (nil for a parameter entity, `<!ENTITY % name …>`).
    private static func generalEntityName(_ body: ArraySlice<UInt8>) -> String? {
        let rest = body.drop(while: isSpace)
        let name = rest.prefix(while: isWord)
        return name.isEmpty ? nil : String(decoding: name, as: UTF8.self)
    }

    /// The name of a declaration feedparser keeps: whitespace, a word name, whitespace and a double-quoted value
    /// that is one character reference or has no `&` (and no `"`).
    private static func safeEntityName(_ body: UnsafeRawBufferPointer.SubSequence) -> String? {
        let bytes = Array(body)
        var index = 0
        guard index < bytes.count, isSpace(bytes[index]) else { return nil }
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        let nameStart = index
        while index < bytes.count, isWord(bytes[index]) { index += 1 }
        let nameEnd = index
        guard nameEnd > nameStart, index < bytes.count, isSpace(bytes[index]) else { return nil }
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let value = bytes[(index + 1)...]
        guard let close = value.firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        let text = value[..<close]
        let isCharacterReference = text.starts(with: Array("&#".utf8)) && text.last == UInt8(ascii: ";")
            && text.dropFirst(2).dropLast().allSatisfy(isWord) && text.count > 3
        guard isCharacterReference || !text.contains(UInt8(ascii: "&")) else { return nil }
        return String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)
    }

    /// The first entity reference (in text or attribute values) to one of `names`, walking without recursion.
    private static func firstReference(in document: xmlDocPtr, toAnyOf names: Set<String>) -> String? {
        guard !names.isEmpty, let root = xmlDocGetRootElement(document) else { return nil }
        var node: xmlNodePtr? = root
        while let current = node {
            if current.pointee.type == XML_ENTITY_REF_NODE {
                let name = String(cString: current.pointee.name)
                if names.contains(name) { return name }
            } else if current.pointee.type == XML_ELEMENT_NODE {
                var attribute = current.pointee.properties
                while let property = attribute {
                    var child = property.pointee.children
                    while let value = child {
                        if value.pointee.type == XML_ENTITY_REF_NODE, names.contains(String(cString: value.pointee.name)) {
                            return String(cString: value.pointee.name)
                        }
                        child = value.pointee.next
                    }
                    attribute = property.pointee.next
                }
            }
            // Depth first: into elements' children (not into entity declarations), then along, then back up.
            if current.pointee.type == XML_ELEMENT_NODE, let first = current.pointee.children {
                node = first
                continue
            }
            var climb: xmlNodePtr? = current
            node = nil
            while let up = climb, up != root {
                if let next = up.pointee.next { node = next; break }
                climb = up.pointee.parent
            }
        }
        return nil
    }

    private static func isWord(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "_")
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    private static func contains(_ head: [UInt8], _ literal: String) -> Bool { find(head, literal, from: 0) != nil }

    private static func starts(_ head: [UInt8], _ literal: String, at index: Int) -> Bool {
        let needle = Array(literal.utf8)
        return index + needle.count <= head.count && head[index..<(index + needle.count)].elementsEqual(needle)
    }

    private static func find(_ head: [UInt8], _ literal: String, from start: Int) -> Int? {
        var index = start
        while index < head.count {
            if starts(head, literal, at: index) { return index }
            index += 1
        }
        return nil
    }
}

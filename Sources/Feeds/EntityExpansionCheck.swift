import CLibXML2

/// Refuses documents whose internal entities would expand far beyond their own size when read.
///
/// libxml2 keeps entity references as nodes (no substitution), so its own amplification limits
/// never fire for a big entity referenced many times; reading the text would expand it, so we count first.
struct EntityExpansionCheck {
    private let budget: Int
    private var used = 0
    private var sizes: [UnsafeMutableRawPointer: Int] = [:]

    /// Allows the input's size four times over plus 1 MiB of entity text.
    init(inputSize: Int) {
        budget = inputSize * 4 + (1 << 20)
    }

    static func needed(for document: xmlDocPtr) -> Bool {
        document.pointee.intSubset?.pointee.entities != nil
    }

    /// False once the expanded entity text in the whole document exceeds the budget.
    mutating func allows(_ document: xmlDocPtr) -> Bool {
        visit(xmlDocGetRootElement(document), depth: 0)
    }

    private mutating func visit(_ first: xmlNodePtr?, depth: Int) -> Bool {
        var node = first
        while let current = node {
            switch current.pointee.type {
            case XML_ENTITY_REF_NODE:
                used += expandedSize(ofEntity: current.pointee.children, depth: 0)
                if used > budget { return false }
            case XML_ELEMENT_NODE:
                var attribute = current.pointee.properties
                while let property = attribute {
                    let children = UnsafeMutableRawPointer(property.pointee.children).map { $0.assumingMemoryBound(to: xmlNode.self) }
                    if !visit(children, depth: depth + 1) { return false }
                    attribute = property.pointee.next
                }
                if depth < 512, !visit(current.pointee.children, depth: depth + 1) { return false }
            default:
                break
            }
            node = current.pointee.next
        }
        return true
    }

    /// Bytes an entity expands to, nested references included (memoised per declaration).
    private mutating func expandedSize(ofEntity declaration: xmlNodePtr?, depth: Int) -> Int {
        guard let declaration else { return 0 }
        let key = UnsafeMutableRawPointer(declaration)
        if let known = sizes[key] { return known }
        guard depth < 64 else { return budget + 1 }
        sizes[key] = budget + 1  // a reference cycle counts as unbounded
        var total = 0
        var child = declaration.pointee.children
        while let current = child, total <= budget {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                total += current.pointee.content.map { xmlStrlen($0) }.map(Int.init) ?? 0
            case XML_ENTITY_REF_NODE:
                total += expandedSize(ofEntity: current.pointee.children, depth: depth + 1)
            case XML_ELEMENT_NODE:
                total += subtreeSize(current.pointee.children, depth: depth + 1)
            default:
                break
            }
            child = current.pointee.next
        }
        sizes[key] = total
        return total
    }

    private mutating func subtreeSize(_ first: xmlNodePtr?, depth: Int) -> Int {
        guard depth < 64 else { return budget + 1 }
        var total = 0
        var node = first
        while let current = node, total <= budget {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                total += current.pointee.content.map { Int(xmlStrlen($0)) } ?? 0
            case XML_ENTITY_REF_NODE:
                total += expandedSize(ofEntity: current.pointee.children, depth: depth + 1)
            case XML_ELEMENT_NODE:
                total += subtreeSize(current.pointee.children, depth: depth + 1)
            default:
                break
            }
            node = current.pointee.next
        }
        return total
    }
}

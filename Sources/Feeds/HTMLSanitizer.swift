import CLibXML2
import Foundation

/// Cleans an HTML fragment the way feedparser does: tags and attributes outside its documented allow-list
/// are dropped (script, style and applet with their content), unsafe URLs become empty, inline CSS keeps
/// only safe declarations, and relative URLs are resolved against the element's base. Text and entity
/// references pass through as written, so a value reads exactly as feedparser gives it.
enum HTMLSanitizer {
    /// - Parameter base: evaluated only when there is markup to clean (most feed text has none, and finding an
    ///   element's base walks its ancestors and copies the URL).
    static func sanitize(_ html: String, base: @autoclosure () -> String?) -> String {
        guard HTMLBytes.containsMarkupCharacter(html) else { return html }
        var pass = SanitizerPass(input: Array(html.utf8), base: base())
        pass.run()
        // feedparser strips the cleaned value, so whitespace left by dropped tags at the ends goes too.
        return String(decoding: pass.output, as: UTF8.self).trimmingWhitespace()
    }

    /// feedparser's test for text in a plain-text element that is really HTML: it needs a closing tag or an
    /// entity reference, every tag (`<name` or `</name`) must be an allowed element, and every named entity
    /// reference a known HTML entity. So `a < b` and `x <unknowntag> y` stay text, and so does `&apos;`.
    static func looksLikeHTML(_ text: String) -> Bool {
        guard HTMLBytes.containsMarkupCharacter(text) else { return false }
        let scalars = Array(text.unicodeScalars)
        var sawMarkup = false
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "<" || scalar == "&" else { index += 1; continue }
            let marked = index + 1 < scalars.count && scalars[index + 1] == (scalar == "<" ? "/" : "#")
            let start = index + (marked ? 2 : 1)
            var end = start
            while end < scalars.count, isWord(scalars[end]) { end += 1 }
            defer { index = end > start ? end : index + 1 }
            guard end > start else { continue }
            let name = String(String.UnicodeScalarView(scalars[start..<end]))
            let closedBy: Unicode.Scalar = scalar == "<" ? ">" : ";"
            let isClosed = end < scalars.count && scalars[end] == closedBy
            if scalar == "<" {
                guard allowedElements.contains(name.lowercased()) else { return false }
                if marked, isClosed { sawMarkup = true }
            } else if isClosed {
                // Python's html.entities.entitydefs is HTML 4's list: it has no `apos`.
                if !marked, name == "apos" || htmlEntityLookup(name) == nil { return false }
                sawMarkup = true
            }
        }
        return sawMarkup
    }

    /// Python's `\w`: letters, digits (any script) and `_`.
    private static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9") || scalar == "_"
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// Elements feedparser keeps (its documented allow-list).
    static let allowedElements: Set<String> = [
        "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "big", "blockquote", "br",
        "button", "canvas", "caption", "center", "cite", "code", "col", "colgroup", "command", "datagrid", "datalist",
        "dd", "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt", "em", "event-source", "fieldset",
        "figcaption", "figure", "font", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i",
        "img", "input", "ins", "kbd", "keygen", "label", "legend", "li", "m", "map", "menu", "meter", "multicol",
        "nav", "nextid", "noscript", "ol", "optgroup", "option", "output", "p", "pre", "progress", "q", "s", "samp",
        "section", "select", "small", "sound", "source", "spacer", "span", "strike", "strong", "sub", "sup", "table",
        "tbody", "td", "textarea", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "video",
    ]

    /// Elements dropped together with everything inside them.
    static let droppedWithContent: Set<String> = ["script", "style", "applet"]

    static let allowedAttributes: Set<String> = [
        "abbr", "accept", "accept-charset", "accesskey", "action", "align", "alt", "autocomplete", "autofocus",
        "axis", "background", "balance", "bgcolor", "bgproperties", "border", "bordercolor", "bordercolordark",
        "bordercolorlight", "bottompadding", "cellpadding", "cellspacing", "ch", "challenge", "char", "charoff",
        "charset", "checked", "choff", "cite", "class", "clear", "color", "cols", "colspan", "compact",
        "contenteditable", "controls", "coords", "data", "datafld", "datapagesize", "datasrc", "datetime", "default",
        "delay", "dir", "disabled", "draggable", "dynsrc", "enctype", "end", "face", "for", "form", "frame",
        "galleryimg", "gutter", "headers", "height", "hidefocus", "hidden", "high", "href", "hreflang", "hspace",
        "icon", "id", "inputmode", "ismap", "keytype", "label", "lang", "leftspacing", "list", "longdesc", "loop",
        "loopcount", "loopend", "loopstart", "low", "lowsrc", "max", "maxlength", "media", "method", "min",
        "multiple", "name", "nohref", "noshade", "nowrap", "open", "optimum", "pattern", "ping", "point-size",
        "poster", "pqg", "preload", "prompt", "radiogroup", "readonly", "rel", "repeat-max", "repeat-min", "replace",
        "required", "rev", "rightspacing", "rows", "rowspan", "rules", "scope", "selected", "shape", "size", "span",
        "src", "start", "step", "style", "summary", "suppress", "tabindex", "target", "template", "title",
        "toppadding", "type", "unselectable", "urn", "usemap", "valign", "value", "variable", "volume", "vrml",
        "vspace", "width", "wrap", "xml:lang",
    ]

    /// Attributes holding a URL: resolved against the base, and emptied when their scheme is unsafe.
    static let urlAttributes: Set<String> = [
        "action", "background", "cite", "codebase", "data", "dynsrc", "href", "longdesc", "lowsrc", "poster",
        "profile", "src", "usemap",
    ]

    static let voidElements: Set<String> = [
        "area", "base", "basefont", "br", "col", "command", "embed", "frame", "hr", "img", "input", "isindex",
        "keygen", "link", "meta", "param", "source", "spacer", "track", "wbr",
    ]

    /// URL schemes feedparser lets through; any other scheme (javascript:, data:, vbscript:) is emptied.
    static let safeSchemes: Set<String> = [
        "aim", "callto", "cvs", "facetime", "feed", "file", "ftp", "git", "gopher", "gtalk", "h323", "hdl", "http",
        "https", "imap", "irc", "irc6", "ircs", "itms", "magnet", "mailto", "mms", "msnim", "news", "nntp",
        "prospero", "rsync", "rtsp", "rtspu", "sftp", "shttp", "sip", "sips", "skype", "smb", "snews", "ssh", "svn",
        "svn+ssh", "telnet", "wais", "ymsg",
    ]
}

/// Byte helpers shared by the HTML passes.
enum HTMLBytes {
    /// True when the text has a `<` or `&` (found with memchr: most feed text has neither).
    static func containsMarkupCharacter(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            guard let base = utf8.baseAddress else { return false }
            return memchr(base, 0x3C, utf8.count) != nil || memchr(base, 0x26, utf8.count) != nil
        }
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || (byte >= 0x30 && byte <= 0x39)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C }

    static func lowercased<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        String(decoding: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    static func isKnownEntity<C: Collection>(_ name: C) -> Bool where C.Element == UInt8 {
        let text = String(decoding: name, as: UTF8.self)
        return text == "apos" || htmlEntityLookup(text) != nil
    }
}

private struct SanitizerPass {
    let input: [UInt8]
    let base: String?
    var index = 0
    var output: [UInt8] = []
    /// Inside script/style/applet: nothing is written until the matching end tag.
    var droppingUntil: String?
    /// Open `<svg>` and `<math>` elements: inside them feedparser's SVG and MathML allow-lists apply.
    var svgDepth = 0
    var mathDepth = 0

    init(input: [UInt8], base: String?) {
        self.input = input
        self.base = base
        output.reserveCapacity(input.count)
    }

    mutating func run() {
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "<"), readMarkup() { continue }
            if droppingUntil == nil {
                if byte == UInt8(ascii: "&"), readEntity() { continue }
                output.append(byte)
            }
            index += 1
        }
    }

    private mutating func readEntity() -> Bool {
        var end = index + 1
        if end < input.count, input[end] == UInt8(ascii: "#") {
            // feedparser writes the apostrophe and quote references as the characters themselves.
            if matches("&#39;") { output.append(UInt8(ascii: "'")); index += 5; return true }
            if matches("&#34;") { output.append(UInt8(ascii: "\"")); index += 5; return true }
            return false
        }
        while end < input.count, HTMLBytes.isNameByte(input[end]) { end += 1 }
        guard end > index + 1, end < input.count, input[end] == UInt8(ascii: ";") else { return false }
        let name = input[(index + 1)..<end]
        guard !HTMLBytes.isKnownEntity(name) else { return false }
        // An unknown entity is written as text, without its semicolon, as feedparser does.
        output.append(contentsOf: Array("&amp;".utf8))
        output.append(contentsOf: name)
        index = end + 1
        return true
    }

    /// Handles markup at `<`; false when the `<` is plain text.
    private mutating func readMarkup() -> Bool {
        guard index + 1 < input.count else { return false }
        let next = input[index + 1]
        if next == UInt8(ascii: "!") {
            if matches("<!--") {
                guard let end = find("-->", from: index + 4) else { return false }
                if droppingUntil == nil { output.append(contentsOf: input[index..<(end + 3)]) }
                index = end + 3
                return true
            }
            if matches("<![CDATA[") {
                index = find("]]>", from: index).map { $0 + 3 } ?? input.count
                return true
            }
            index = find(">", from: index).map { $0 + 1 } ?? input.count
            return true
        }
        if next == UInt8(ascii: "?") {
            index = find(">", from: index).map { $0 + 1 } ?? input.count
            return true
        }
        let closing = next == UInt8(ascii: "/")
        let nameStart = index + (closing ? 2 : 1)
        guard nameStart < input.count, (input[nameStart] | 0x20) >= 0x61 && (input[nameStart] | 0x20) <= 0x7A else { return false }
        var cursor = nameStart
        while cursor < input.count, HTMLBytes.isNameByte(input[cursor]) { cursor += 1 }
        let name = HTMLBytes.lowercased(input[nameStart..<cursor])
        guard let (attributes, end) = readAttributes(from: cursor) else { return false }
        index = end
        if let dropping = droppingUntil {
            if closing, name == dropping { droppingUntil = nil }
            return true
        }
        if closing {
            writeEndTag(name)
            return true
        }
        if HTMLSanitizer.droppedWithContent.contains(name) {
            droppingUntil = name
            return true
        }
        // feedparser turns an attribute-less `<x/>` into `<x></x>` (a void element into `<x />`).
        let selfClosed = attributes.isEmpty && end >= 2 && input[end - 2] == UInt8(ascii: "/")
        if HTMLSanitizer.allowedElements.contains(name), svgDepth == 0 {
            writeStartTag(name, attributes)
        } else if !writeForeignStartTag(name, attributes) {
            return true
        }
        if selfClosed, !HTMLSanitizer.voidElements.contains(name) { writeEndTag(name) }
        return true
    }

    /// SVG and MathML start tags (and HTML ones inside an `<svg>`); false when the element is dropped.
    private mutating func writeForeignStartTag(_ name: String, _ attributes: [(String, String?)]) -> Bool {
        var attributes = attributes
        let xmlns = attributes.last { $0.0 == "xmlns" }?.1
        if name == "math", xmlns == nil || xmlns == ForeignMarkup.mathMLNamespace {
            if xmlns == nil { attributes.append(("xmlns", ForeignMarkup.mathMLNamespace)) }
            mathDepth += 1
        }
        if name == "svg", xmlns == nil || xmlns == ForeignMarkup.svgNamespace {
            if xmlns == nil { attributes.append(("xmlns", ForeignMarkup.svgNamespace)) }
            svgDepth += 1
        }
        if attributes.contains(where: { $0.0.hasPrefix("xlink:") }), !attributes.contains(where: { $0.0 == "xmlns:xlink" }) {
            attributes.append(("xmlns:xlink", ForeignMarkup.xlinkNamespace))
        }
        if mathDepth > 0, ForeignMarkup.mathMLElements.contains(name) {
            writeTag(name, attributes) { ForeignMarkup.mathMLAttributes.contains($0) ? $0 : nil }
        } else if svgDepth > 0, let spelled = ForeignMarkup.svgElements[name] {
            let animation = ForeignMarkup.animations.contains(name) && Self.animatesScript(attributes)
            writeTag(spelled, attributes) { attribute in
                if animation, ForeignMarkup.animationValues.contains(attribute) { return nil }
                return ForeignMarkup.svgAttributes[attribute]
            }
        } else if HTMLSanitizer.allowedElements.contains(name) {
            writeStartTag(name, attributes)
        } else {
            return false
        }
        return true
    }

    /// True when an animation targets a link or an event handler (`attributeName="xlink:href"`, `"onload"`).
    private static func animatesScript(_ attributes: [(String, String?)]) -> Bool {
        guard let target = attributes.last(where: { $0.0 == "attributename" })?.1 else { return false }
        let name = HTMLEntities.decode(target).trimmingWhitespace().lowercased()
        return name == "href" || name.hasSuffix(":href") || name.hasPrefix("on")
    }

    /// An SVG or MathML start tag: attributes kept by `allowed` (which gives the name to write), the last of
    /// duplicates, sorted by lowercased name. `href` and `xlink:href` lose unsafe schemes; other URLs are left as
    /// written, as feedparser leaves them.
    private mutating func writeTag(_ name: String, _ attributes: [(String, String?)], allowed: (String) -> String?) {
        var kept: [(key: String, name: String, value: String)] = []
        for (attribute, rawValue) in attributes {
            guard let written = allowed(attribute) else { continue }
            var value = rawValue.map(HTMLEntities.decode) ?? attribute
            if attribute == "href" || attribute == "xlink:href" || attribute == "src" || attribute == "altimg" {
                // feedparser checks only `href`; an unsafe xlink:href or src would run script, so it goes too.
                value = URLPolicy.safe(value.trimmingWhitespace()) ? value : ""
            }
            kept.removeAll { $0.key == attribute }
            kept.append((attribute, written, value))
        }
        kept.sort { $0.key < $1.key }
        var tag = "<" + name
        for attribute in kept { tag += " \(attribute.name)=\"\(HTMLEntities.escapeAttribute(attribute.value))\"" }
        output.append(contentsOf: Array((tag + ">").utf8))
    }

    private mutating func writeEndTag(_ name: String) {
        if HTMLSanitizer.allowedElements.contains(name) {
            output.append(contentsOf: Array("</\(name)>".utf8))
        } else if mathDepth > 0, ForeignMarkup.mathMLElements.contains(name) {
            if name == "math" { mathDepth -= 1 }
            output.append(contentsOf: Array("</\(name)>".utf8))
        } else if svgDepth > 0, let spelled = ForeignMarkup.svgElements[name] {
            if name == "svg" { svgDepth -= 1 }
            output.append(contentsOf: Array("</\(spelled)>".utf8))
        }
    }

    /// Attributes up to the tag's `>`, or nil when the tag never closes (then it is text).
    private func readAttributes(from start: Int) -> ([(String, String?)], Int)? {
        var attributes: [(String, String?)] = []
        var cursor = start
        while cursor < input.count {
            let byte = input[cursor]
            if byte == UInt8(ascii: ">") { return (attributes, cursor + 1) }
            if HTMLBytes.isSpace(byte) || byte == UInt8(ascii: "/") { cursor += 1; continue }
            guard (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || byte == UInt8(ascii: "_") else {
                // Anything but a name here (a stray quote) ends the attributes; the rest of the tag is ignored.
                guard let close = input[cursor...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
                return (attributes, close + 1)
            }
            let nameStart = cursor
            while cursor < input.count, HTMLBytes.isNameByte(input[cursor]) || input[cursor] == UInt8(ascii: "_") { cursor += 1 }
            let name = HTMLBytes.lowercased(input[nameStart..<cursor])
            while cursor < input.count, HTMLBytes.isSpace(input[cursor]) { cursor += 1 }
            guard cursor < input.count, input[cursor] == UInt8(ascii: "=") else {
                attributes.append((name, nil))
                continue
            }
            cursor += 1
            while cursor < input.count, HTMLBytes.isSpace(input[cursor]) { cursor += 1 }
            guard cursor < input.count else { return nil }
            let quote = input[cursor]
            let valueStart: Int
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                valueStart = cursor + 1
                guard let close = input[valueStart...].firstIndex(of: quote) else { return nil }
                cursor = close + 1
                attributes.append((name, String(decoding: input[valueStart..<close], as: UTF8.self)))
            } else {
                valueStart = cursor
                while cursor < input.count, !HTMLBytes.isSpace(input[cursor]), input[cursor] != UInt8(ascii: ">") { cursor += 1 }
                attributes.append((name, String(decoding: input[valueStart..<cursor], as: UTF8.self)))
            }
        }
        return nil
    }

    private mutating func writeStartTag(_ name: String, _ attributes: [(String, String?)]) {
        var kept: [(String, String)] = []
        for (attribute, rawValue) in attributes where HTMLSanitizer.allowedAttributes.contains(attribute) {
            // feedparser keeps the last of duplicate attributes, and lowercases rel and type.
            kept.removeAll { $0.0 == attribute }
            var value = rawValue.map(HTMLEntities.decode) ?? attribute
            if attribute == "rel" || attribute == "type" { value = value.lowercased() }
            if attribute == "style" {
                value = InlineCSS.clean(value, insideSVG: svgDepth > 0)
                if value.isEmpty { continue }
            } else if HTMLSanitizer.urlAttributes.contains(attribute) {
                value = URLPolicy.resolved(value.trimmingWhitespace(), base: base)
            }
            kept.append((attribute, value))
        }
        kept.sort { $0.0 < $1.0 }
        var tag = "<" + name
        for (attribute, value) in kept { tag += " \(attribute)=\"\(HTMLEntities.escapeAttribute(value))\"" }
        tag += HTMLSanitizer.voidElements.contains(name) ? " />" : ">"
        output.append(contentsOf: Array(tag.utf8))
    }

    private func matches(_ literal: String) -> Bool {
        let needle = Array(literal.utf8)
        return index + needle.count <= input.count && input[index..<(index + needle.count)].elementsEqual(needle)
    }

    private func find(_ literal: String, from start: Int) -> Int? {
        let needle = Array(literal.utf8)
        var cursor = start
        while cursor + needle.count <= input.count {
            if input[cursor] == needle[0], input[cursor..<(cursor + needle.count)].elementsEqual(needle) { return cursor }
            cursor += 1
        }
        return nil
    }
}

/// Resolves a URL against a base and refuses unsafe schemes.
enum URLPolicy {
    static func resolved(_ reference: String, base: String?) -> String {
        var absolute = reference
        if let base, !base.isEmpty, let built = xmlBuildURI(reference, base) {
            absolute = String(cString: built)
            newsroom_xml_free(built)
        }
        guard let colon = absolute.firstIndex(of: ":") else { return absolute }
        let scheme = absolute[..<colon]
        if scheme.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return absolute }
        return HTMLSanitizer.safeSchemes.contains(scheme.lowercased()) ? absolute : ""
    }

    /// True when the URL has no scheme or a safe one (no resolving).
    static func safe(_ reference: String) -> Bool {
        !resolved(reference, base: nil).isEmpty || reference.isEmpty
    }
}

/// Entity decoding and escaping for attribute values.
enum HTMLEntities {
    static func decode(_ value: String) -> String {
        guard value.contains("&") else { return value }
        var out = ""
        var rest = Substring(value)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            rest = rest[amp...]
            if let semi = rest.prefix(34).firstIndex(of: ";") {
                let body = rest[rest.index(after: rest.startIndex)..<semi]
                if let scalar = scalar(for: body) {
                    out.unicodeScalars.append(scalar)
                    rest = rest[rest.index(after: semi)...]
                    continue
                }
            }
            out += "&"
            rest = rest.dropFirst()
        }
        return out + rest
    }

    private static func scalar(for body: Substring) -> Unicode.Scalar? {
        if body.first == "#" {
            let digits = body.dropFirst()
            let hex = digits.first == "x" || digits.first == "X"
            return UInt32(hex ? String(digits.dropFirst()) : String(digits), radix: hex ? 16 : 10).flatMap(Unicode.Scalar.init)
        }
        if body == "apos" { return "'" }
        return htmlEntityLookup(String(body)).flatMap { Unicode.Scalar($0.pointee.value) }
    }

    /// For an attribute value in double quotes: the text escapes plus `"`.
    static func escapeAttribute(_ value: String) -> String { escape(value, quotes: true) }

    static func escapeText(_ value: String) -> String { escape(value, quotes: false) }

    private static func escape(_ value: String, quotes: Bool) -> String {
        guard value.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || (quotes && $0 == "\"") }) else { return value }
        var out = ""
        for character in value {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}

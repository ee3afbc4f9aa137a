/// Cleans a `style` attribute the way feedparser does: a value with anything beyond plain declarations is
/// dropped whole; otherwise only allowed properties are kept, and the shorthand families (background, border,
/// margin, padding) only when every word is a known keyword, a colour or a small length. URLs never survive.
enum InlineCSS {
    /// - Parameter insideSVG: an HTML element inside an `<svg>` may also keep SVG's paint properties.
    static func clean(_ style: String, insideSVG: Bool = false) -> String {
        let withoutURLs = removingURLs(style)
        guard withoutURLs.unicodeScalars.allSatisfy(isPlainCSSScalar), hasOnlyPlainGroups(withoutURLs),
              isDeclarationList(withoutURLs) else { return "" }
        var kept: [String] = []
        for declaration in withoutURLs.split(separator: ";") {
            guard let colon = declaration.firstIndex(of: ":") else { continue }
            let written = String(declaration[..<colon]).trimmingWhitespace()
            let property = written.lowercased()
            let value = String(declaration[declaration.index(after: colon)...]).trimmingWhitespace()
            guard !value.isEmpty else { continue }
            if properties.contains(property) || insideSVG && ForeignMarkup.svgStyleProperties.contains(property) {
                kept.append("\(written): \(value);")
            } else if let family = property.split(separator: "-").first, shorthandFamilies.contains(String(family)),
                      value.split(separator: " ").allSatisfy({ keywords.contains($0.lowercased()) || isColourOrLength($0) }) {
                kept.append("\(written): \(value);")
            }
        }
        return kept.joined(separator: " ")
    }

    /// `url(...)` is taken out before anything else, so it never reaches the output.
    private static func removingURLs(_ style: String) -> String {
        var out = ""
        var rest = Substring(style)
        while let range = rest.range(of: "url", options: .caseInsensitive) {
            var after = rest[range.upperBound...].drop { $0 == " " || $0 == "\t" }
            guard after.first == "(", let close = after.firstIndex(of: ")") else {
                out += rest[..<range.upperBound]
                rest = rest[range.upperBound...]
                continue
            }
            out += rest[..<range.lowerBound] + " "
            after = after[after.index(after: close)...]
            rest = after.drop { $0 == " " || $0 == "\t" }
        }
        return out + rest
    }

    /// Letters, digits, spaces and `: , ; # % . !`, dashes between word characters, quoted words and
    /// parenthesised number lists; anything else (backslashes, comments, expressions) drops the whole style.
    private static func isPlainCSSScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", " ", "\t", "\n", "\r", ":", ",", ";", "#", "%", ".", "!", "-", "'", "\"", "(", ")", "_":
            return true
        default:
            return false
        }
    }

    /// Parentheses may hold only numbers, commas and spaces (`rgb(1, 2, 3)`), quotes only words: no
    /// `expression(...)` and no quoted punctuation.
    private static func hasOnlyPlainGroups(_ style: String) -> Bool {
        var closing: Character?
        var previous: Character = " "
        for character in style {
            defer { previous = character }
            if let close = closing {
                if character == close { closing = nil; continue }
                if close == ")" {
                    guard character.isNumber || character == "," || character == " " || character == "%" else { return false }
                } else {
                    guard character.isLetter || character.isNumber || character == " " || character == "_" else { return false }
                }
                continue
            }
            switch character {
            case "(": closing = ")"
            case ")": return false
            case "'", "\"": closing = character
            default: break
            }
            _ = previous
        }
        return closing == nil
    }

    /// `property: value` pairs separated by single semicolons, with no stray colons.
    private static func isDeclarationList(_ style: String) -> Bool {
        let parts = style.split(separator: ";", omittingEmptySubsequences: false)
        for (position, part) in parts.enumerated() {
            let trimmed = String(part).trimmingWhitespace()
            if trimmed.isEmpty { if position == parts.count - 1 { continue } else { return false } }
            let pieces = trimmed.split(separator: ":", omittingEmptySubsequences: false)
            guard pieces.count == 2 else { return false }
            let name = String(pieces[0]).trimmingWhitespace()
            guard !name.isEmpty, name.utf8.allSatisfy(isPropertyNameByte) else { return false }
        }
        return true
    }

    private static func isPropertyNameByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
            || (byte >= 0x30 && byte <= 0x39)
    }

    private static func isColourOrLength(_ word: Substring) -> Bool {
        if word.first == "#" { return word.count > 1 && word.dropFirst().allSatisfy(\.isHexDigit) }
        if word.lowercased().hasPrefix("rgb(") { return true }
        var rest = word[...]
        let whole = rest.prefix { $0.isASCII && $0.isNumber }
        guard whole.count <= 2 else { return false }
        rest = rest.dropFirst(whole.count)
        if rest.first == "." {
            rest = rest.dropFirst()
            let fraction = rest.prefix { $0.isASCII && $0.isNumber }
            guard fraction.count <= 2 else { return false }
            rest = rest.dropFirst(fraction.count)
        }
        return rest.isEmpty || ["cm", "em", "ex", "in", "mm", "pc", "pt", "px", "%"].contains(rest.lowercased())
    }

    private static let properties: Set<String> = [
        "azimuth", "background-color", "border-bottom-color", "border-collapse", "border-color", "border-left-color",
        "border-right-color", "border-top-color", "clear", "color", "cursor", "direction", "display", "elevation",
        "float", "font", "font-family", "font-size", "font-style", "font-variant", "font-weight", "height",
        "letter-spacing", "line-height", "overflow", "pause", "pause-after", "pause-before", "pitch", "pitch-range",
        "richness", "speak", "speak-header", "speak-numeral", "speak-punctuation", "speech-rate", "stress",
        "text-align", "text-decoration", "text-indent", "unicode-bidi", "vertical-align", "voice-family", "volume",
        "white-space", "width",
    ]

    private static let shorthandFamilies: Set<String> = ["background", "border", "margin", "padding"]

    private static let keywords: Set<String> = [
        "auto", "aqua", "black", "block", "blue", "bold", "both", "bottom", "brown", "center", "collapse", "dashed",
        "dotted", "fuchsia", "gray", "green", "!important", "italic", "left", "lime", "maroon", "medium", "none",
        "navy", "normal", "nowrap", "olive", "pointer", "purple", "red", "right", "solid", "silver", "teal", "top",
        "transparent", "underline", "white", "yellow",
    ]
}

import CLibXML2
import Foundation
import Testing
@testable import Feeds

/// The byte-level fast paths give exactly what the general code they skip would give.
@Suite struct FastPathTests {
    /// Whitespace at the ends, with the cases the byte rule must hand to the Character-level trim.
    static let untrimmed: [String] = [
        "", " ", "\t\n\r ", "plain", "  both  ", "\u{0B}vertical tab\u{0C}", "\r\nline\r\n",
        "\u{A0}no-break\u{A0}", " \u{A0} mixed \u{A0} ", "\u{3000}ideographic\u{3000}", "\u{85}next line\u{85}",
        " \u{301}combining after a space", "ends with a combining mark \u{301}", "e\u{301} ", " é", "日本語 ",
        " 日本語", "\u{600} prepended", "text \u{600} ", "\u{1C}separator\u{1F}", " \u{2028} ",
    ]

    /// The trim as it was written before the fast path: whole Characters, `Character.isWhitespace`.
    static func characterTrim(_ string: String) -> String {
        var scalars = Substring(string)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    @Test(arguments: untrimmed)
    func trimMatchesCharacterTrim(_ input: String) {
        let expected = Self.characterTrim(input)
        #expect(input.trimmingWhitespace() == expected)
        let fromBytes = Array(input.utf8).withUnsafeBufferPointer { String.trimmingWhitespace($0) }
        #expect(fromBytes == expected)
    }

    @Test(arguments: untrimmed)
    func elementTextMatchesTrimmedText(_ input: String) throws {
        try Self.withElement(Self.escaped(input)) { element in
            let expected = Self.characterTrim(element.text)
            #expect(element.trimmedText == expected)
            #expect(element.nonEmptyText == (expected.isEmpty ? nil : expected))
        }
    }

    /// Dates read from an element as `FeedDate.parse` reads its trimmed text.
    @Test(arguments: [
        "Fri, 21 Mar 2014 10:58:38 EDT", "  Fri, 21 Mar 2014 10:58:38 EDT\n", "\u{0B}Fri, 21 Mar 2014 10:58:38 EDT\u{0C}",
        "\u{A0}Fri, 21 Mar 2014 10:58:38 EDT", "fri, 21 MAR 2014 10:58:38 edt", "FRIDAY, 21 March 2014 10:58 gmt",
        "21 Sept 2014 10:58:38 z", "Fri, 21 Mar 2014 10:58:38 m", "Fri, 21 Mar 2014 10:58:38 Q", "Fri, 21 Mar 2014 10:58:38 XYZ",
        "Fri, 21 Mar 2014 10:58:38 GMT+01:00", "Κυρ, 11 Ιούλ 2004 12:00:00 EST", "2004-július-5", "2014-03-21T10:58:38+01:00",
        "", "   ",
    ])
    func elementDateMatchesParse(_ text: String) throws {
        try Self.withElement(Self.escaped(text)) { element in
            let trimmed = Self.characterTrim(element.text)
            #expect(FeedDate.read(element) == (trimmed.isEmpty ? nil : FeedDate.parse(trimmed)))
        }
    }

    /// References resolve as libxml2 resolves them against the element's base, scheme or not.
    @Test(arguments: [
        "http://example.org/a", "HTTPS://example.org/a b", "mailto:someone@example.org", "javascript:alert(1)",
        "a+b.c-d:rest", "http:relative", "urn:isbn:0451450523", "relative/path", "/absolute/path", "?query",
        "#fragment", "1http://digit-first", "-x:y", "ht%74p://escaped", "x:", "http://exa mple.org/[bad]", "",
    ])
    func resolvesAsLibXML2Does(_ reference: String) throws {
        try Self.withElement("x", baseURL: "http://example.com/dir/feed.xml") { element in
            var expected = reference
            if let base = xmlNodeGetBase(element.pointer.pointee.doc, element.pointer) {
                if let built = xmlBuildURI(reference, base) {
                    expected = String(cString: built)
                    newsroom_xml_free(built)
                }
                newsroom_xml_free(base)
            }
            #expect(element.resolve(reference) == expected)
        }
    }

    /// JSON strings escape the same bytes wherever they fall in the eight-byte words the writer skips through.
    @Test func jsonEscapesAtEveryOffset() {
        let specials = ["\"", "\\", "\n", "\u{1}", "\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}", "\u{E000}", "é", "日"]
        for special in specials {
            for offset in 0..<17 {
                let text = String(repeating: "a", count: offset) + special + String(repeating: "b", count: 19 - offset)
                #expect(FeedJSON.quoted(text) == Self.referenceQuoted(text), "\(offset) \(special.unicodeScalars.map(\.value))")
            }
        }
    }

    /// Timestamps as the field-by-field writer gave them, from 1600 (Foundation turns Julian before 1582) to past 9999.
    @Test(arguments: [-11_676_096_000.0, -2_208_988_800.5, 0, 59.999, 951_782_400, 1_395_413_918, 4_102_444_799, 253_402_300_799, 253_402_300_800])
    func timestampsKeepTheirShape(_ seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func padded(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let expected = "\(padded(c.year!, 4))-\(padded(c.month!, 2))-\(padded(c.day!, 2))T\(padded(c.hour!, 2)):\(padded(c.minute!, 2)):\(padded(c.second!, 2))Z"
        #expect(FeedJSON.timestamp(date) == expected)
    }

    /// The escaping rule, one scalar at a time.
    static func referenceQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{C}": out += "\\f"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            case _ where scalar.value < 0x20: out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Calls `body` with the `<e>` element of `<r><e>content</e></r>`.
    static func withElement(_ content: String, baseURL: String? = nil, _ body: (XMLNode) -> Void) throws {
        let bytes = Array("<r><e>\(content)</e></r>".utf8)
        let document = try bytes.withUnsafeBytes { buffer in
            try Result { () throws(FeedParseError) in try XMLDocument.parse(buffer, baseURL: baseURL) }.get()
        }
        let element = try #require(document.root?.children.first { _ in true })
        body(element)
        withExtendedLifetime(document) {}
    }

    /// Markup characters escaped; control characters written as character references (libxml2 may drop those:
    /// each test compares with the text the element really holds).
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case "\u{0B}", "\u{0C}", "\u{1C}", "\u{1F}": out += "&#x\(String(scalar.value, radix: 16));"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

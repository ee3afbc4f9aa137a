import Foundation

/// Reads text constructs into the values feedparser gives: plain text as written (entities decoded), HTML and
/// XHTML sanitized with relative URLs resolved against the element's xml:base, base64 decoded.
enum TextConstruct {
    /// A plain-text element (an RSS title, itunes:subtitle): HTML only when it contains markup or looks like HTML.
    static func plain(_ node: XMLNode) -> String? {
        if node.hasElementChildren { return nonEmpty(HTMLSanitizer.sanitize(node.innerHTML.trimmingWhitespace(), base: node.base)) }
        let text = node.trimmedText
        if HTMLSanitizer.looksLikeHTML(text) { return nonEmpty(HTMLSanitizer.sanitize(text, base: node.base)) }
        return nonEmpty(text)
    }

    /// An RSS title-like element (title, dc:title, media:title): feedparser honours a `type` attribute on it
    /// (Media RSS gives media:title one); without one, or with `text`, it is plain text.
    static func typedPlain(_ node: XMLNode) -> String? {
        guard let type = node.attribute("type")?.trimmingWhitespace().lowercased() else { return plain(node) }
        switch type {
        case "text", "text/plain": return plain(node)
        case "html", "text/html": return html(node)
        case "xhtml", "application/xhtml+xml": return xhtmlBody(node)
        // Any other type (Media RSS's "plain") is taken as written, without the looks-like-HTML guess.
        default: return nonEmpty(node.trimmedText)
        }
    }

    /// An element that holds HTML (an RSS description, content:encoded).
    static func html(_ node: XMLNode) -> String? {
        let source = node.hasElementChildren ? node.innerHTML.trimmingWhitespace() : node.trimmedText
        return nonEmpty(HTMLSanitizer.sanitize(source, base: node.base))
    }

    /// xhtml:body: its children are the markup.
    static func xhtmlBody(_ node: XMLNode) -> String? {
        nonEmpty(HTMLSanitizer.sanitize(node.innerHTML.trimmingWhitespace(), base: node.base))
    }

    /// An Atom 1.0 or 0.3 text construct, by its `type` (text, html, xhtml or a MIME type) and 0.3's `mode`.
    static func atom(_ node: XMLNode) -> String? {
        let type = (node.attribute("type") ?? "text").trimmingWhitespace().lowercased()
        let mode = node.attribute("mode")?.lowercased()
        let isXHTML = type == "xhtml" || type == "application/xhtml+xml"
        let isHTML = type == "html" || type == "text/html" || mode == "escaped" && type != "text" && type != "text/plain"
        if mode == "base64" {
            let encoded = node.text.filter { !$0.isWhitespace }
            guard let data = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters) else { return "" }
            let decoded = String(decoding: data, as: UTF8.self).trimmingWhitespace()
            return nonEmpty(isHTML || isXHTML ? HTMLSanitizer.sanitize(decoded, base: node.base) : decoded)
        }
        if isXHTML {
            let elements = Array(node.children)
            let wrapper = elements.count == 1 && elements[0].isNamed("div") ? elements[0] : node
            return nonEmpty(HTMLSanitizer.sanitize(wrapper.innerHTML.trimmingWhitespace(), base: node.base))
        }
        if isHTML { return html(node) }
        if node.hasElementChildren { return nonEmpty(HTMLSanitizer.sanitize(node.innerHTML.trimmingWhitespace(), base: node.base)) }
        return nonEmpty(node.trimmedText)
    }

    /// An element that is present but empty still gives a value (""), as feedparser keeps it.
    private static func nonEmpty(_ value: String) -> String? { value }
}

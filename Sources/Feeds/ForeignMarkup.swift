/// The SVG and MathML that feedparser's sanitizer lets through (its documented allow-lists: SVG Tiny's
/// elements and attributes with a few additions, and MathML presentation markup). They apply only inside an
/// `<svg>` or `<math>` in its own namespace (an HTML fragment may leave the `xmlns` out). SVG names are
/// matched without regard to case and written in SVG's camelCase.
enum ForeignMarkup {
    static let svgNamespace = "http://www.w3.org/2000/svg"
    static let mathMLNamespace = "http://www.w3.org/1998/Math/MathML"
    static let xlinkNamespace = "http://www.w3.org/1999/xlink"

    static let mathMLElements: Set<String> = [
        "annotation", "annotation-xml", "maction", "maligngroup", "malignmark", "math", "menclose", "merror",
        "mfenced", "mfrac", "mglyph", "mi", "mlabeledtr", "mlongdiv", "mmultiscripts", "mn", "mo", "mover",
        "mpadded", "mphantom", "mprescripts", "mroot", "mrow", "ms", "mscarries", "mscarry", "msgroup", "msline",
        "mspace", "msqrt", "msrow", "mstack", "mstyle", "msub", "msubsup", "msup", "mtable", "mtd", "mtext", "mtr",
        "munder", "munderover", "none", "semantics",
    ]

    static let mathMLAttributes: Set<String> = [
        "accent", "accentunder", "actiontype", "align", "alignmentscope", "altimg", "altimg-height", "altimg-valign",
        "altimg-width", "alttext", "bevelled", "charalign", "close", "columnalign", "columnlines", "columnspacing",
        "columnspan", "columnwidth", "crossout", "decimalpoint", "denomalign", "depth", "dir", "display",
        "displaystyle", "edge", "encoding", "equalcolumns", "equalrows", "fence", "fontstyle", "fontweight", "form",
        "frame", "framespacing", "groupalign", "height", "href", "id", "indentalign", "indentalignfirst",
        "indentalignlast", "indentshift", "indentshiftfirst", "indentshiftlast", "indenttarget",
        "infixlinebreakstyle", "largeop", "length", "linebreak", "linebreakmultchar", "linebreakstyle",
        "lineleading", "linethickness", "location", "longdivstyle", "lquote", "lspace", "mathbackground",
        "mathcolor", "mathsize", "mathvariant", "maxsize", "minlabelspacing", "minsize", "movablelimits", "notation",
        "numalign", "open", "other", "overflow", "position", "rowalign", "rowlines", "rowspacing", "rowspan",
        "rquote", "rspace", "scriptlevel", "scriptminsize", "scriptsizemultiplier", "selection", "separator",
        "separators", "shift", "side", "src", "stackalign", "stretchy", "subscriptshift", "superscriptshift",
        "symmetric", "voffset", "width", "xlink:href", "xlink:show", "xlink:type", "xmlns", "xmlns:xlink",
    ]

    /// SVG elements by lowercased name, giving the name as SVG spells it.
    static let svgElements: [String: String] = spelled([
        "a", "animate", "animateColor", "animateMotion", "animateTransform", "circle", "defs", "desc", "ellipse",
        "font-face", "font-face-name", "font-face-src", "foreignObject", "g", "glyph", "hkern", "line",
        "linearGradient", "marker", "metadata", "missing-glyph", "mpath", "path", "polygon", "polyline",
        "radialGradient", "rect", "set", "stop", "svg", "switch", "text", "title", "tspan", "use",
    ])

    /// SVG attributes by lowercased name, giving the name as SVG spells it.
    static let svgAttributes: [String: String] = spelled([
        "accent-height", "accumulate", "additive", "alphabetic", "arabic-form", "ascent", "attributeName",
        "attributeType", "baseProfile", "bbox", "begin", "by", "calcMode", "cap-height", "class", "color",
        "color-rendering", "content", "cx", "cy", "d", "descent", "display", "dur", "dx", "dy", "end", "fill",
        "fill-opacity", "fill-rule", "font-family", "font-size", "font-stretch", "font-style", "font-variant",
        "font-weight", "from", "fx", "fy", "g1", "g2", "glyph-name", "gradientUnits", "hanging", "height",
        "horiz-adv-x", "horiz-origin-x", "id", "ideographic", "k", "keyPoints", "keySplines", "keyTimes", "lang",
        "marker-end", "marker-mid", "marker-start", "markerHeight", "markerUnits", "markerWidth", "mathematical",
        "max", "min", "name", "offset", "opacity", "orient", "origin", "overline-position", "overline-thickness",
        "panose-1", "path", "pathLength", "points", "preserveAspectRatio", "r", "refX", "refY", "repeatCount",
        "repeatDur", "requiredExtensions", "requiredFeatures", "restart", "rotate", "rx", "ry", "slope", "stemh",
        "stemv", "stop-color", "stop-opacity", "strikethrough-position", "strikethrough-thickness", "stroke",
        "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
        "stroke-opacity", "stroke-width", "systemLanguage", "target", "text-anchor", "to", "transform", "type",
        "u1", "u2", "underline-position", "underline-thickness", "unicode", "unicode-range", "units-per-em",
        "values", "version", "viewBox", "visibility", "width", "widths", "x", "x-height", "x1", "x2",
        "xlink:actuate", "xlink:arcrole", "xlink:href", "xlink:role", "xlink:show", "xlink:title", "xlink:type",
        "xml:base", "xml:lang", "xml:space", "xmlns", "xmlns:xlink", "y", "y1", "y2", "zoomAndPan",
    ])

    /// CSS properties an HTML element inside an `<svg>` may also keep in its style.
    static let svgStyleProperties: Set<String> = [
        "fill", "fill-opacity", "fill-rule", "stroke", "stroke-linecap", "stroke-linejoin", "stroke-opacity",
        "stroke-width",
    ]

    /// SMIL animation elements: pointed at a link or an event handler they would write script into the document.
    /// feedparser lets that through; we do not (their target and values are dropped).
    static let animations: Set<String> = ["animate", "animatecolor", "animatemotion", "animatetransform", "set"]
    static let animationValues: Set<String> = ["attributename", "to", "from", "by", "values"]

    private static func spelled(_ names: [String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: names.map { ($0.lowercased(), $0) })
    }
}

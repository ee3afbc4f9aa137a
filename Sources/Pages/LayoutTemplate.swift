import Mustache

/// `layout.mustache` split once at `{{{body}}}`, so wrapping a cached fragment renders only the
/// small header and footer and never copies the body through the template engine.
struct LayoutTemplate: Sendable {
    static let bodyMarker = "{{{body}}}"

    private let head: MustacheTemplate
    private let tail: MustacheTemplate

    init(source: String) throws {
        let parts = source.components(separatedBy: Self.bodyMarker)
        guard parts.count == 2,
              let head = try? MustacheTemplate(string: parts[0]),
              let tail = try? MustacheTemplate(string: parts[1])
        else { throw PageRendererError.layoutBodyMarker }
        self.head = head
        self.tail = tail
    }

    func wrap(_ fragmentHTML: String, context: LayoutModel) -> String {
        let top = head.render(context)
        let bottom = tail.render(context)
        var page = ""
        page.reserveCapacity(top.utf8.count + fragmentHTML.utf8.count + bottom.utf8.count)
        page += top
        page += fragmentHTML
        page += bottom
        return page
    }
}

/// What `layout.mustache` reads: `LayoutContext` with the derived flags the template needs.
struct LayoutModel {
    /// Nil when blank, so the tab shows just "newsroom".
    let title: String?
    let publications: [NavPublication]
    /// Signed in: the navbar (the first few publications, then "All publications").
    let hasNavigation: Bool
    let allPublicationsURL: String
    let allPublicationsIsCurrent: Bool
    let member: NavMember?
    /// Only when signed out.
    let signInURL: String?
    let flash: String?

    init(_ context: LayoutContext) {
        title = context.title.allSatisfy(\.isWhitespace) ? nil : context.title
        publications = context.member == nil ? [] : context.publications
        hasNavigation = context.member != nil
        allPublicationsURL = AllPublications.path
        allPublicationsIsCurrent = context.allPublicationsIsCurrent
        member = context.member
        signInURL = context.member == nil ? context.signInURL.flatMap(URLPolicy.localOrWeb) : nil
        flash = context.flash.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
    }
}

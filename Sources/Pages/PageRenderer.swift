import Mustache

/// Renders view models with the Mustache templates in one directory.
///
/// A full page is its view model rendered with the view's template (the *fragment*), then wrapped
/// in `layout.mustache`. The two steps are also available separately so a fragment shared by all
/// members (a publication's news) can be cached and wrapped per request with that member's header.
public struct PageRenderer: Sendable {
    /// Every template a built-in view needs; `init` fails if one is missing.
    static let requiredTemplates = [
        "layout", HomeSignedOutPage.template, HomePage.template, NewsPage.template, NotFoundPage.template,
        MePage.template, StatusPage.template, DeniedPage.template, LogoutPage.template, ErrorPage.template,
        PublicationsPage.template,
    ]

    private let library: MustacheLibrary
    private let layout: LayoutTemplate

    /// Loads every `*.mustache` file in `templatesDirectory`.
    /// - Throws: `PageRendererError` naming the missing or malformed template.
    public init(templatesDirectory: String) async throws {
        let library: MustacheLibrary
        do {
            library = try await MustacheLibrary(directory: templatesDirectory)
        } catch let error as MustacheLibrary.ParserError {
            throw PageRendererError.malformedTemplate(
                file: error.filename, line: error.context.lineNumber, column: error.context.columnNumber)
        } catch {
            throw PageRendererError.unreadableDirectory(templatesDirectory)
        }
        for name in Self.requiredTemplates where library.getTemplate(named: name) == nil {
            throw PageRendererError.missingTemplate(name: name, directory: templatesDirectory)
        }
        guard let layoutSource = library.getTemplate(named: "layout")?.description else {
            throw PageRendererError.missingTemplate(name: "layout", directory: templatesDirectory)
        }
        self.library = library
        self.layout = try LayoutTemplate(source: layoutSource)
    }

    /// The whole HTML document: `page` rendered with its template, inside the layout.
    public func renderPage(_ page: some PageView, layout context: LayoutContext) -> String {
        wrap(fragmentHTML: renderFragment(page), layout: context)
    }

    /// Just the page's own HTML (what goes inside `<main>`), for caching.
    public func renderFragment(_ page: some PageView) -> String {
        let name = type(of: page).template
        guard let html = library.render(page, withTemplate: name) else {
            // Unreachable for built-in views (init checks them); a new view without its file lands here.
            return "<p>This page's template (\(name).mustache) is missing.</p>"
        }
        return html
    }

    /// Puts an already-rendered fragment (trusted HTML from `renderFragment`) inside the layout.
    public func wrap(fragmentHTML: String, layout context: LayoutContext) -> String {
        layout.wrap(fragmentHTML, context: LayoutModel(context))
    }
}

/// Why templates could not be loaded.
public enum PageRendererError: Error, Equatable, CustomStringConvertible {
    case unreadableDirectory(String)
    case missingTemplate(name: String, directory: String)
    case malformedTemplate(file: String, line: Int, column: Int)
    case layoutBodyMarker

    public var description: String {
        switch self {
        case .unreadableDirectory(let directory):
            "templates: cannot read the directory \(directory); pass the path to Resources/templates"
        case .missingTemplate(let name, let directory):
            "templates: \(directory) has no \(name).mustache; restore it from the repository"
        case .malformedTemplate(let file, let line, let column):
            "templates: \(file) is not valid Mustache at line \(line), column \(column)"
        case .layoutBodyMarker:
            "templates: layout.mustache must contain {{{body}}} exactly once, outside any section"
        }
    }
}

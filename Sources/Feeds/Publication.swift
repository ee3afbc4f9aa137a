/// One publication as the operator listed it in feeds.json.
public struct Publication: Sendable, Equatable, Hashable {
    /// Lowercase slug: `[a-z0-9][a-z0-9-]*`.
    public var id: String
    public var name: String
    /// http, https or file URL of the RSS/Atom feed.
    public var url: String
    public var refreshMinutes: Int

    public init(id: String, name: String, url: String, refreshMinutes: Int) {
        self.id = id
        self.name = name
        self.url = url
        self.refreshMinutes = refreshMinutes
    }
}

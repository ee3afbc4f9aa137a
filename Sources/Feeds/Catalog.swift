import Foundation

/// The publications the operator listed in feeds.json, in file order (the home page lists them so).
///
/// Long form: `{"refreshMinutes": 15, "publications": [{"id": "bbc", "name": "BBC News", "url": "…", "refreshMinutes": 30}]}`.
/// Short form: `{"bbc": "https://…", "cnn": "https://…"}` (the name is the id).
public struct Catalog: Sendable, Equatable {
    public static let defaultRefresh = 15
    public static let maxRefreshMinutes = 1440
    public static let maxIDLength = 64

    public var publications: [Publication]
    public var defaultRefreshMinutes: Int

    public init(publications: [Publication], defaultRefreshMinutes: Int = Catalog.defaultRefresh) {
        self.publications = publications
        self.defaultRefreshMinutes = defaultRefreshMinutes
    }

    public static func load(path: String) throws(CatalogError) -> Catalog {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        return try parse(data)
    }

    public static func parse(_ data: Data) throws(CatalogError) -> Catalog {
        try parse([UInt8](data))
    }

    public static func parse(_ bytes: [UInt8]) throws(CatalogError) -> Catalog {
        let json: OrderedJSON
        do {
            json = try OrderedJSON.parse(bytes)
        } catch {
            throw .invalidJSON(message: error.message, line: error.line, column: error.column)
        }
        guard case .object(let members) = json else { throw .notAnObject(found: json.kind) }
        let catalog = try members.contains(where: { $0.key == "publications" })
            ? parseLongForm(members) : parseShortForm(members)
        guard !catalog.publications.isEmpty else { throw .noPublications }
        var seen = Set<String>()
        for publication in catalog.publications where !seen.insert(publication.id).inserted {
            throw .duplicateID(publication.id)
        }
        return catalog
    }

    private static func parseLongForm(_ members: [(key: String, value: OrderedJSON)]) throws(CatalogError) -> Catalog {
        var defaultRefresh = Catalog.defaultRefresh
        var entries: [OrderedJSON] = []
        for (key, value) in members {
            switch key {
            case "refreshMinutes":
                defaultRefresh = try refreshMinutes(value, publication: nil)
            case "publications":
                guard case .array(let list) = value else {
                    throw .wrongTopLevelType(key: key, expected: "an array of publications", found: value.kind)
                }
                entries = list
            default:
                throw .unknownTopLevelKey(key)
            }
        }
        var publications: [Publication] = []
        for (offset, entry) in entries.enumerated() {
            publications.append(try publication(entry, position: offset + 1, defaultRefresh: defaultRefresh))
        }
        return Catalog(publications: publications, defaultRefreshMinutes: defaultRefresh)
    }

    private static func publication(_ entry: OrderedJSON, position: Int, defaultRefresh: Int) throws(CatalogError) -> Publication {
        guard case .object(let fields) = entry else { throw .publicationNotAnObject(position: position, found: entry.kind) }
        var label = "#\(position)"
        guard let idValue = fields.first(where: { $0.key == "id" })?.value else { throw .missingKey(publication: label, key: "id") }
        guard case .string(let id) = idValue else {
            throw .wrongType(publication: label, key: "id", expected: "a string", found: idValue.kind)
        }
        try validate(id: id)
        label = id
        var name: String?, url: String?, refresh = defaultRefresh
        for (key, value) in fields {
            switch key {
            case "id":
                continue
            case "name", "url":
                guard case .string(let text) = value else {
                    throw .wrongType(publication: label, key: key, expected: "a string", found: value.kind)
                }
                if key == "name" { name = text } else { url = text }
            case "refreshMinutes":
                refresh = try refreshMinutes(value, publication: label)
            default:
                throw .unknownKey(publication: label, key: key)
            }
        }
        guard let url else { throw .missingKey(publication: label, key: "url") }
        try validate(url: url, publication: label)
        let trimmedName = name?.trimmingWhitespace()
        if name != nil, trimmedName?.isEmpty != false {
            throw .wrongType(publication: label, key: "name", expected: "a non-empty string", found: "empty")
        }
        return Publication(id: id, name: trimmedName ?? id, url: url, refreshMinutes: refresh)
    }

    private static func parseShortForm(_ members: [(key: String, value: OrderedJSON)]) throws(CatalogError) -> Catalog {
        var defaultRefresh = Catalog.defaultRefresh
        if let value = members.first(where: { $0.key == "refreshMinutes" })?.value {
            defaultRefresh = try refreshMinutes(value, publication: nil)
        }
        var publications: [Publication] = []
        for (id, value) in members where id != "refreshMinutes" {
            try validate(id: id)
            guard case .string(let url) = value else {
                throw .wrongType(publication: id, key: "url", expected: "a string (the feed URL)", found: value.kind)
            }
            try validate(url: url, publication: id)
            publications.append(Publication(id: id, name: id, url: url, refreshMinutes: defaultRefresh))
        }
        return Catalog(publications: publications, defaultRefreshMinutes: defaultRefresh)
    }

    private static func refreshMinutes(_ value: OrderedJSON, publication: String?) throws(CatalogError) -> Int {
        guard case .number(let text) = value else {
            if let publication {
                throw .wrongType(publication: publication, key: "refreshMinutes", expected: "a whole number of minutes", found: value.kind)
            }
            throw .wrongTopLevelType(key: "refreshMinutes", expected: "a whole number of minutes", found: value.kind)
        }
        guard let minutes = Int(text), (1...maxRefreshMinutes).contains(minutes) else {
            throw .invalidRefreshMinutes(publication: publication, value: text)
        }
        return minutes
    }

    /// Ids are lowercase slugs: `[a-z0-9][a-z0-9-]*`, at most 64 characters.
    static func validate(id: String) throws(CatalogError) {
        let bytes = Array(id.utf8)
        let isSlugByte: (UInt8) -> Bool = { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        guard let first = bytes.first, first != 0x2D, bytes.count <= maxIDLength, bytes.allSatisfy(isSlugByte) else {
            throw .invalidID(id)
        }
    }

    static func validate(url: String, publication: String) throws(CatalogError) {
        guard !url.isEmpty else { throw .invalidURL(publication: publication, reason: "it is empty; give the feed's http(s) URL") }
        guard !url.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }),
              let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw .invalidURL(publication: publication, reason: "not a valid absolute URL; write it like https://example.com/feed.xml")
        }
        switch scheme {
        case "http", "https":
            guard let host = components.host, !host.isEmpty else {
                throw .invalidURL(publication: publication, reason: "\(scheme) URL has no host; write it like https://example.com/feed.xml")
            }
        case "file":
            guard !components.path.isEmpty else {
                throw .invalidURL(publication: publication, reason: "file URL has no path; write it like file:///srv/feeds/bbc.xml")
            }
        default:
            throw .invalidURL(publication: publication, reason: "scheme '\(scheme)' is not supported; use http, https or file")
        }
    }
}

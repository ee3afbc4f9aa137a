/// Why feeds.json was refused. Messages name the publication, the key and what to change.
public enum CatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalidJSON(message: String, line: Int, column: Int)
    case notAnObject(found: String)
    case unknownTopLevelKey(String)
    case wrongTopLevelType(key: String, expected: String, found: String)
    case noPublications
    case publicationNotAnObject(position: Int, found: String)
    /// `publication` is the id, or `#N` (1-based position) when the id itself is missing.
    case missingKey(publication: String, key: String)
    case unknownKey(publication: String, key: String)
    case wrongType(publication: String, key: String, expected: String, found: String)
    case invalidID(String)
    case duplicateID(String)
    case invalidURL(publication: String, reason: String)
    case invalidRefreshMinutes(publication: String?, value: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot read the catalog (\(reason)); check the path and its permissions"
        case .invalidJSON(let message, let line, let column):
            return "feeds.json: invalid JSON at line \(line), column \(column): \(message)"
        case .notAnObject(let found):
            return "feeds.json: the top level is \(found); expected an object such as {\"publications\": [...]} or {\"bbc\": \"https://…\"}"
        case .unknownTopLevelKey(let key):
            return "feeds.json: unknown top-level key '\(key)' (expected refreshMinutes, publications)"
        case .wrongTopLevelType(let key, let expected, let found):
            return "feeds.json: '\(key)' is \(found); it must be \(expected)"
        case .noPublications:
            return "feeds.json: no publications; list at least one, e.g. {\"bbc\": \"https://feeds.bbci.co.uk/news/rss.xml\"}"
        case .publicationNotAnObject(let position, let found):
            return "feeds.json: publication #\(position) is \(found); it must be an object with id, name, url"
        case .missingKey(let publication, let key):
            return "feeds.json: publication \(quotedName(publication)) has no '\(key)'; add it"
        case .unknownKey(let publication, let key):
            return "feeds.json: publication \(quotedName(publication)): unknown key '\(key)' (expected id, name, url, refreshMinutes)"
        case .wrongType(let publication, let key, let expected, let found):
            return "feeds.json: publication \(quotedName(publication)): '\(key)' is \(found); it must be \(expected)"
        case .invalidID(let id):
            return "feeds.json: publication id '\(id)' is not a lowercase slug; use 1–64 characters of a-z, 0-9 and '-', starting with a letter or digit"
        case .duplicateID(let id):
            return "feeds.json: publication id '\(id)' is listed twice; give each publication its own id"
        case .invalidURL(let publication, let reason):
            return "feeds.json: publication \(quotedName(publication)): bad url: \(reason)"
        case .invalidRefreshMinutes(let publication, let value):
            let owner = publication.map { "publication \(quotedName($0)): " } ?? ""
            return "feeds.json: \(owner)refreshMinutes \(value) is out of range; use a whole number of minutes from 1 to \(Catalog.maxRefreshMinutes)"
        }
    }

    private func quotedName(_ publication: String) -> String {
        publication.hasPrefix("#") ? publication : "'\(publication)'"
    }
}

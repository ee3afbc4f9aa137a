import Feeds
import Storage

/// Storage keeps its own copy of the catalog fields so that it needs no Feeds; this is the one place a
/// feeds.json entry becomes what the store syncs.
extension PublicationConfig {
    init(_ publication: Publication) {
        self.init(id: publication.id, name: publication.name, url: publication.url, refreshMinutes: publication.refreshMinutes)
    }
}

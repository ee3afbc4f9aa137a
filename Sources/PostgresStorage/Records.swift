import Foundation
import PostgresNIO
import Storage

/// The column lists the store's queries select, in the order the record readers below expect. Constant SQL only:
/// they are spliced into statements with `unescaped:`.
enum Columns {
    static let publication = """
        p.id, p.name, p.url, p.refreshMinutes, p.position, p.active, p.etag, p.lastModified, p.lastFetchAttemptAt, \
        p.lastSuccessAt, p.lastHTTPStatus, p.lastError, p.failingSince, p.consecutiveFailures, p.nextDueAt, \
        p.articleCount, p.contentChangedAt
        """
    static let article = """
        a.id, a.publicationID, a.dedupeKey, a.title, a.link, a.summary, a.author, a.published, a.updated, a.thumbnail, \
        a.feedPosition, a.firstSeenAt
        """
    static let user = "u.githubID, u.login, u.name, u.avatarURL, u.createdAt, u.updatedAt"
    static let session = """
        s.idHash, s.githubID, s.csrfToken, s.encryptedToken, s.admittedBy, s.membershipCheckedAt, s.lastGoodCheckAt, \
        s.createdAt, s.lastSeenAt, s.absoluteExpiresAt, s.flash, s.tokenExpiresAt, s.encryptedRefreshToken
        """
    static let loginAttempt = "l.stateHash, l.browserBindingHash, l.pkceVerifier, l.nextPath, l.createdAt, l.expiresAt"
}

extension PublicationRecord {
    init(_ reader: inout RowReader) throws {
        self.init(id: try reader.next(), name: try reader.next(), url: try reader.next(), refreshMinutes: try reader.next(),
                  position: try reader.next(), active: try reader.next(), etag: try reader.next(), lastModified: try reader.next(),
                  lastFetchAttemptAt: try reader.optionalDate(), lastSuccessAt: try reader.optionalDate(),
                  lastHTTPStatus: try reader.next(), lastError: try reader.next(), failingSince: try reader.optionalDate(),
                  consecutiveFailures: try reader.next(), nextDueAt: try reader.date(), articleCount: try reader.next(),
                  contentChangedAt: try reader.optionalDate())
    }

    init(row: PostgresRow) throws {
        var reader = RowReader(row)
        try self.init(&reader)
    }
}

extension ArticleRecord {
    init(_ reader: inout RowReader) throws {
        self.init(id: try reader.next(), publicationID: try reader.next(), dedupeKey: try reader.next(), title: try reader.next(),
                  link: try reader.next(), summary: try reader.next(), author: try reader.next(), published: try reader.optionalDate(),
                  updated: try reader.optionalDate(), thumbnail: try reader.next(), feedPosition: try reader.next(),
                  firstSeenAt: try reader.date())
    }

    init(row: PostgresRow) throws {
        var reader = RowReader(row)
        try self.init(&reader)
    }
}

extension UserRecord {
    init(row: PostgresRow) throws {
        var reader = RowReader(row)
        self.init(githubID: try reader.next(), login: try reader.next(), name: try reader.next(), avatarURL: try reader.next(),
                  createdAt: try reader.date(), updatedAt: try reader.date())
    }
}

extension SessionRecord {
    init(row: PostgresRow) throws {
        var reader = RowReader(row)
        self.init(idHash: try reader.next(), githubID: try reader.next(), csrfToken: try reader.next(), encryptedToken: try reader.bytes(),
                  admittedBy: try reader.next(), membershipCheckedAt: try reader.date(), lastGoodCheckAt: try reader.date(),
                  createdAt: try reader.date(), lastSeenAt: try reader.date(), absoluteExpiresAt: try reader.date(),
                  flash: try reader.next(), tokenExpiresAt: try reader.optionalDate(), encryptedRefreshToken: try reader.optionalBytes())
    }
}

extension LoginAttemptRecord {
    init(row: PostgresRow) throws {
        var reader = RowReader(row)
        self.init(stateHash: try reader.next(), browserBindingHash: try reader.next(), pkceVerifier: try reader.next(),
                  nextPath: try reader.next(), createdAt: try reader.date(), expiresAt: try reader.date())
    }
}

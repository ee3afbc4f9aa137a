internal import GRDB

/// The database schema as an append-only list of migrations. Never edit a shipped migration: add the next one.
/// Times are REAL seconds since 1970 (UTC), so they round-trip exactly and compare numerically.
enum Schema {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-publications-articles", migrate: createPublicationsAndArticles)
        migrator.registerMigration("v2-users-sessions-logins", migrate: createUsersSessionsAndLogins)
        migrator.registerMigration("v3-expiring-session-tokens", migrate: addExpiringTokens)
        migrator.registerMigration("v4-stored-article-counts", migrate: addStoredCountsAndChangeTimes)
        return migrator
    }()

    /// Pages list publications by when their articles last changed and show how many each holds: both are kept
    /// in the row as writes happen (the count by triggers, so every writer keeps it right) instead of being
    /// computed for every page.
    private static func addStoredCountsAndChangeTimes(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE publications ADD COLUMN articleCount INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE publications ADD COLUMN contentChangedAt REAL;
            UPDATE publications SET
                articleCount = (SELECT COUNT(*) FROM articles a WHERE a.publicationID = publications.id),
                contentChangedAt = (SELECT max(a.firstSeenAt) FROM articles a WHERE a.publicationID = publications.id);
            CREATE TRIGGER articles_count_insert AFTER INSERT ON articles BEGIN
                UPDATE publications SET articleCount = articleCount + 1 WHERE id = NEW.publicationID;
            END;
            CREATE TRIGGER articles_count_delete AFTER DELETE ON articles BEGIN
                UPDATE publications SET articleCount = articleCount - 1 WHERE id = OLD.publicationID;
            END;
            """)
    }

    /// GitHub App user tokens (and OAuth apps with expiring tokens) come with an expiry and a sealed refresh token.
    private static func addExpiringTokens(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE sessions ADD COLUMN tokenExpiresAt REAL;
            ALTER TABLE sessions ADD COLUMN encryptedRefreshToken BLOB;
            """)
    }

    private static func createPublicationsAndArticles(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE publications (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                url TEXT NOT NULL,
                refreshMinutes INTEGER NOT NULL,
                position INTEGER NOT NULL,
                active INTEGER NOT NULL DEFAULT 1,
                etag TEXT,
                lastModified TEXT,
                lastFetchAttemptAt REAL,
                lastSuccessAt REAL,
                lastHTTPStatus INTEGER,
                lastError TEXT,
                failingSince REAL,
                consecutiveFailures INTEGER NOT NULL DEFAULT 0,
                nextDueAt REAL NOT NULL
            );
            CREATE INDEX publications_due ON publications(active, nextDueAt);

            -- AUTOINCREMENT: a deleted article's id is never handed to another article.
            CREATE TABLE articles (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                publicationID TEXT NOT NULL REFERENCES publications(id) ON DELETE CASCADE,
                dedupeKey TEXT NOT NULL,
                title TEXT,
                link TEXT,
                summary TEXT,
                author TEXT,
                published REAL,
                updated REAL,
                thumbnail TEXT,
                feedPosition INTEGER,
                firstSeenAt REAL NOT NULL,
                UNIQUE (publicationID, dedupeKey)
            );
            CREATE INDEX articles_feed_position ON articles(publicationID, feedPosition);
            CREATE INDEX articles_recency ON articles(publicationID, coalesce(published, firstSeenAt));
            """)
    }

    private static func createUsersSessionsAndLogins(_ db: Database) throws {
        try db.execute(sql: """
            -- Keyed on GitHub's numeric id: logins can be renamed and reused by someone else.
            CREATE TABLE users (
                githubID INTEGER PRIMARY KEY NOT NULL,
                login TEXT NOT NULL,
                name TEXT,
                avatarURL TEXT,
                createdAt REAL NOT NULL,
                updatedAt REAL NOT NULL
            );
            CREATE INDEX users_login ON users(login);

            -- Only the hash of a session id is stored, so a leaked database cannot sign anyone in.
            CREATE TABLE sessions (
                idHash TEXT PRIMARY KEY NOT NULL,
                githubID INTEGER NOT NULL REFERENCES users(githubID) ON DELETE CASCADE,
                csrfToken TEXT NOT NULL,
                encryptedToken BLOB NOT NULL,
                admittedBy TEXT NOT NULL,
                membershipCheckedAt REAL NOT NULL,
                lastGoodCheckAt REAL NOT NULL,
                createdAt REAL NOT NULL,
                lastSeenAt REAL NOT NULL,
                absoluteExpiresAt REAL NOT NULL,
                flash TEXT
            );
            CREATE INDEX sessions_user ON sessions(githubID);
            CREATE INDEX sessions_last_seen ON sessions(lastSeenAt);
            CREATE INDEX sessions_absolute_expiry ON sessions(absoluteExpiresAt);

            CREATE TABLE login_attempts (
                stateHash TEXT PRIMARY KEY NOT NULL,
                browserBindingHash TEXT NOT NULL,
                pkceVerifier TEXT,
                nextPath TEXT NOT NULL,
                createdAt REAL NOT NULL,
                expiresAt REAL NOT NULL
            );
            CREATE INDEX login_attempts_expiry ON login_attempts(expiresAt);
            """)
    }
}

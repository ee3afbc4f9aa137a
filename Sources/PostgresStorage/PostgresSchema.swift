import PostgresNIO

/// The PostgreSQL schema as an append-only list of migrations, each applied in one transaction and recorded in
/// `schema_migrations`. Never edit a shipped migration: add the next one.
///
/// The same logical schema as SQLite's (`Schema.swift`, v1 to v4, under the same names), written for PostgreSQL:
/// - times are `double precision` seconds since 1970, as SQLite's REAL, so they round-trip exactly;
/// - every text column is `COLLATE "C"`: compared and ordered byte by byte, as SQLite does, whatever the database's
///   default collation (under `en_US` PostgreSQL would order ids differently and pages would disagree between engines);
/// - integers are `bigint` (Swift's `Int`), blobs `bytea`;
/// - an article's id is an identity column: a sequence never hands out a number twice, as SQLite's AUTOINCREMENT;
/// - `login_attempts.seq` stands for SQLite's rowid, which orders attempts that expire at the same moment.
/// Then v5 adds what only several instances need: fetch leases.
///
/// Unquoted identifiers: PostgreSQL folds them to lower case everywhere, so the camel case below is for reading.
enum PostgresSchema {
    struct Migration: Sendable {
        let identifier: String
        let statements: [PostgresQuery]
    }

    static let migrations: [Migration] = [
        Migration(identifier: "v1-publications-articles", statements: [
            """
            CREATE TABLE publications (
                id text COLLATE "C" PRIMARY KEY,
                name text COLLATE "C" NOT NULL,
                url text COLLATE "C" NOT NULL,
                refreshMinutes bigint NOT NULL,
                position bigint NOT NULL,
                active boolean NOT NULL DEFAULT true,
                etag text COLLATE "C",
                lastModified text COLLATE "C",
                lastFetchAttemptAt double precision,
                lastSuccessAt double precision,
                lastHTTPStatus bigint,
                lastError text COLLATE "C",
                failingSince double precision,
                consecutiveFailures bigint NOT NULL DEFAULT 0,
                nextDueAt double precision NOT NULL
            )
            """,
            "CREATE INDEX publications_due ON publications (active, nextDueAt)",
            """
            CREATE TABLE articles (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                publicationID text COLLATE "C" NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
                dedupeKey text COLLATE "C" NOT NULL,
                title text COLLATE "C",
                link text COLLATE "C",
                summary text COLLATE "C",
                author text COLLATE "C",
                published double precision,
                updated double precision,
                thumbnail text COLLATE "C",
                feedPosition bigint,
                firstSeenAt double precision NOT NULL,
                UNIQUE (publicationID, dedupeKey)
            )
            """,
            "CREATE INDEX articles_feed_position ON articles (publicationID, feedPosition)",
            "CREATE INDEX articles_recency ON articles (publicationID, (coalesce(published, firstSeenAt)))",
        ]),
        Migration(identifier: "v2-users-sessions-logins", statements: [
            // Keyed on GitHub's numeric id: logins can be renamed and reused by someone else.
            """
            CREATE TABLE users (
                githubID bigint PRIMARY KEY,
                login text COLLATE "C" NOT NULL,
                name text COLLATE "C",
                avatarURL text COLLATE "C",
                createdAt double precision NOT NULL,
                updatedAt double precision NOT NULL
            )
            """,
            "CREATE INDEX users_login ON users (login)",
            // Only the hash of a session id is stored, so a leaked database cannot sign anyone in.
            """
            CREATE TABLE sessions (
                idHash text COLLATE "C" PRIMARY KEY,
                githubID bigint NOT NULL REFERENCES users (githubID) ON DELETE CASCADE,
                csrfToken text COLLATE "C" NOT NULL,
                encryptedToken bytea NOT NULL,
                admittedBy text COLLATE "C" NOT NULL,
                membershipCheckedAt double precision NOT NULL,
                lastGoodCheckAt double precision NOT NULL,
                createdAt double precision NOT NULL,
                lastSeenAt double precision NOT NULL,
                absoluteExpiresAt double precision NOT NULL,
                flash text COLLATE "C"
            )
            """,
            "CREATE INDEX sessions_user ON sessions (githubID)",
            "CREATE INDEX sessions_last_seen ON sessions (lastSeenAt)",
            "CREATE INDEX sessions_absolute_expiry ON sessions (absoluteExpiresAt)",
            """
            CREATE TABLE login_attempts (
                stateHash text COLLATE "C" PRIMARY KEY,
                browserBindingHash text COLLATE "C" NOT NULL,
                pkceVerifier text COLLATE "C",
                nextPath text COLLATE "C" NOT NULL,
                createdAt double precision NOT NULL,
                expiresAt double precision NOT NULL,
                seq bigint GENERATED ALWAYS AS IDENTITY
            )
            """,
            "CREATE INDEX login_attempts_expiry ON login_attempts (expiresAt)",
        ]),
        // GitHub App user tokens (and OAuth apps with expiring tokens) come with an expiry and a sealed refresh token.
        Migration(identifier: "v3-expiring-session-tokens", statements: [
            "ALTER TABLE sessions ADD COLUMN tokenExpiresAt double precision",
            "ALTER TABLE sessions ADD COLUMN encryptedRefreshToken bytea",
        ]),
        // Pages list publications by when their articles last changed and show how many each holds: both kept in the
        // row as writes happen. The count by triggers, so every writer keeps it right; per statement, with the
        // statement's rows as a table, so a fetch of 50 new articles updates its publication once, not 50 times.
        Migration(identifier: "v4-stored-article-counts", statements: [
            "ALTER TABLE publications ADD COLUMN articleCount bigint NOT NULL DEFAULT 0",
            "ALTER TABLE publications ADD COLUMN contentChangedAt double precision",
            """
            UPDATE publications SET
                articleCount = (SELECT count(*) FROM articles a WHERE a.publicationID = publications.id),
                contentChangedAt = (SELECT max(a.firstSeenAt) FROM articles a WHERE a.publicationID = publications.id)
            """,
            """
            CREATE FUNCTION newsroom_count_added_articles() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE publications p SET articleCount = p.articleCount + added.n
                FROM (SELECT publicationID, count(*) AS n FROM added_articles GROUP BY publicationID) added
                WHERE p.id = added.publicationID;
                RETURN NULL;
            END
            $$
            """,
            """
            CREATE FUNCTION newsroom_count_removed_articles() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE publications p SET articleCount = p.articleCount - removed.n
                FROM (SELECT publicationID, count(*) AS n FROM removed_articles GROUP BY publicationID) removed
                WHERE p.id = removed.publicationID;
                RETURN NULL;
            END
            $$
            """,
            """
            CREATE TRIGGER articles_count_insert AFTER INSERT ON articles REFERENCING NEW TABLE AS added_articles
            FOR EACH STATEMENT EXECUTE FUNCTION newsroom_count_added_articles()
            """,
            """
            CREATE TRIGGER articles_count_delete AFTER DELETE ON articles REFERENCING OLD TABLE AS removed_articles
            FOR EACH STATEMENT EXECUTE FUNCTION newsroom_count_removed_articles()
            """,
        ]),
        // Several instances share the fetching: a claimed publication carries, until this time, a lease that keeps
        // other instances' claims off it. Recording the fetch clears it; an instance that died leaves it to run out.
        Migration(identifier: "v5-fetch-leases", statements: [
            "ALTER TABLE publications ADD COLUMN leaseUntil double precision",
        ]),
        // Jobs one instance at a time should run (housekeeping): who holds each, and until when.
        Migration(identifier: "v6-job-leases", statements: [
            """
            CREATE TABLE job_leases (
                name text COLLATE "C" PRIMARY KEY,
                holder text COLLATE "C" NOT NULL,
                leaseUntil double precision NOT NULL
            )
            """,
        ]),
    ]

    /// Every identifier, for telling a newer database's migrations apart.
    static var identifiers: Set<String> { Set(migrations.map(\.identifier)) }
}

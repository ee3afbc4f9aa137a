import PostgresStorage
import Testing

/// URL reading needs no server: every case runs everywhere.
@Suite("PostgreSQL URLs")
struct PostgresURLTests {
    @Test func readsEveryPart() throws {
        let url = try PostgresURL("postgresql://news%20room:p%40ss%3Aw%2Fo%25rd@db.example.org:6543/news_db?sslmode=verify-full&application_name=newsroom")
        #expect(url.user == "news room")
        #expect(url.host == "db.example.org")
        #expect(url.port == 6543)
        #expect(url.database == "news_db")
        #expect(url.sslMode == .verifyFull)
        #expect(url.applicationName == "newsroom")
        #expect(url.redacted == "postgres://news%20room@db.example.org:6543/news_db")
    }

    @Test func defaultsFollowLibpq() throws {
        let url = try PostgresURL("postgres://alice@localhost")
        #expect(url.port == 5432)
        #expect(url.database == "alice", "the database defaults to the user's name")
        #expect(url.sslMode == .prefer)
        #expect(try PostgresURL("postgres://alice@localhost/").database == "alice")
        #expect(try PostgresURL("POSTGRES://alice@localhost:5433").port == 5433, "the scheme is case-insensitive")
    }

    @Test func readsBracketedIPv6Hosts() throws {
        let url = try PostgresURL("postgres://u:pw@[::1]:55432/db?sslmode=disable")
        #expect(url.host == "::1")
        #expect(url.port == 55432)
        #expect(url.redacted == "postgres://u@[::1]:55432/db")
        #expect(try PostgresURL("postgres://u@[2001:db8::7]/db").port == 5432)
    }

    @Test(arguments: ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"])
    func readsEverySSLMode(_ mode: String) throws {
        #expect(try PostgresURL("postgres://u@h/db?sslmode=\(mode)").sslMode.rawValue == mode)
    }

    @Test func anUnencodedAtInThePasswordReadsAsLibpqReadsIt() throws {
        let url = try PostgresURL("postgres://u:p@ss@host/db")
        #expect(url.host == "host" && url.user == "u")
        #expect(!url.redacted.contains("p@ss") && !url.redacted.contains("ss@"))
    }

    @Test func recognisesPostgresURLsByScheme() {
        #expect(PostgresURL.isPostgresURL("postgres://u@h/db"))
        #expect(PostgresURL.isPostgresURL("PostgreSQL://u@h/db"))
        #expect(!PostgresURL.isPostgresURL("newsroom.sqlite"))
        #expect(!PostgresURL.isPostgresURL("/var/lib/postgres://x"))
        #expect(!PostgresURL.isPostgresURL("postgres:/u@h"))
    }

    /// Every malformed URL carries the password "s3cr3t"-something: the error must say what is wrong without it.
    @Test(arguments: [
        "mysql://u:s3cr3t@h/db",
        "postgres//u:s3cr3t@h/db",
        "postgres://:s3cr3t@h/db",
        "postgres://h/db",
        "postgres://u:s3cr3t@/db",
        "postgres://u:s3cr3t@h:0/db",
        "postgres://u:s3cr3t@h:65536/db",
        "postgres://u:s3cr3t@h:54x2/db",
        "postgres://u:s3cr3t@h:/db",
        "postgres://u:s3cr3t@::1/db",
        "postgres://u:s3cr3t@[::1/db",
        "postgres://u:s3cr3t@[not-v6]/db",
        "postgres://u:s3cr3t@[::1]x/db",
        "postgres://u:s3cr3t@h1,h2/db",
        "postgres://u:s3cr3t@h/db?sslmode=s3cr3tmode",
        "postgres://u:s3cr3t@h/db?s3cr3tparam=1",
        "postgres://u:s3cr3t@h/db?sslmode",
        "postgres://u:s3cr3t@h/db?sslmode=disable&sslmode=require",
        "postgres://u:s3cr3t@h/db?connect_timeout=-1",
        "postgres://u:s3cr3t%zz@h/db",
        "postgres://u:s3cr3t@h/d%ZZb",
        "postgres://u:s3cr3t%00@h/db",
        "postgres://u:s3cr3t@h/db#frag",
        "postgres://u:s3c#r3t@h/db",
        "postgres://u:s3cr3t @h/db",
        "postgres://u:s3cr3t\n@h/db",
        "postgres://u:s3c/r3t@h/db",
        "postgres://u:s3cr3t@h\u{0}/db",
        "postgres://u:s3cr3t@hö/db",
        "",
    ])
    func refusesMalformedURLsWithoutQuotingThem(_ text: String) {
        do {
            let url = try PostgresURL(text)
            Issue.record("accepted a malformed URL as \(url)")
        } catch {
            #expect(error.description.hasPrefix("invalid PostgreSQL URL: "))
            #expect(!error.description.contains("s3c"), "\(error.description)")
            #expect(!error.description.contains("r3t"), "\(error.description)")
        }
    }

    @Test func thePasswordAppearsInNoDescription() throws {
        let url = try PostgresURL("postgres://newsroom:Tr0ub4dor%263@db.internal:5432/news?sslmode=require&connect_timeout=5")
        var dumped = ""
        dump(url, to: &dumped)
        for shown in [url.description, url.debugDescription, url.redacted, "\(url)", String(reflecting: url), dumped] {
            #expect(!shown.contains("Tr0ub4dor"), "\(shown)")
            #expect(!shown.contains("ub4"), "\(shown)")
        }
        #expect(url.redacted == "postgres://newsroom@db.internal:5432/news")
        #expect(url.connectTimeout == .seconds(5))
    }

    @Test func theRedactedFormIsOneLineEvenForOddNames() throws {
        let url = try PostgresURL("postgres://a%0Ab:pw@h/x%2Fy%0A")
        #expect(!url.redacted.contains("\n"))
        #expect(url.redacted == "postgres://a%0Ab@h:5432/x%2Fy%0A")
        #expect(url.user == "a\nb" && url.database == "x/y\n")
    }
}

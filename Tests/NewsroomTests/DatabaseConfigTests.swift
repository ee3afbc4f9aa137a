import Foundation
import Testing
@testable import Newsroom

/// `--database`, NEWSROOM_DATABASE and DATABASE_URL: an SQLite path or a PostgreSQL URL, in that order of precedence,
/// and a password that never shows in what the operator reads.
@Suite struct DatabaseConfigTests {
    static let password = "Hunter2-very-secret"
    static let url = "postgres://newsroom:\(password)@db.internal:5433/news?sslmode=require"

    static func resolve(flag: String? = nil, _ changes: [String: String?] = [:]) throws(ConfigError) -> AppConfig {
        var options = ServeOptions()
        options.databasePath = flag
        return try ConfigResolver.resolve(options, environment: ConfigResolverTests.env(changes))
    }

    @Test func theFlagWinsThenNewsroomsVariableThenDatabaseURL() throws {
        #expect(try Self.resolve().databasePath == "newsroom.sqlite")
        #expect(try Self.resolve(["DATABASE_URL": Self.url]).databasePath == Self.url)
        #expect(try Self.resolve(["DATABASE_URL": Self.url, "NEWSROOM_DATABASE": "/srv/news.sqlite"]).databasePath == "/srv/news.sqlite")
        #expect(try Self.resolve(flag: "other.sqlite", ["DATABASE_URL": Self.url]).databasePath == "other.sqlite")
    }

    @Test func aPostgresURLIsReadAndDescribedWithoutItsPassword() throws {
        let config = try Self.resolve(["DATABASE_URL": Self.url])
        guard case .postgres(let parsed) = try DatabaseLocation(config.databasePath) else {
            Issue.record("a postgres:// URL read as an SQLite path")
            return
        }
        #expect(parsed.host == "db.internal" && parsed.port == 5433 && parsed.database == "news" && parsed.sslMode == .require)
        #expect(config.databaseDescription == "PostgreSQL postgres://newsroom@db.internal:5433/news")
        #expect(!config.databaseDescription.contains(Self.password))
        guard case .postgres = try DatabaseLocation("postgresql://u@h/d") else {
            Issue.record("a postgresql:// URL read as an SQLite path")
            return
        }
        #expect(try DatabaseLocation("/srv/news.sqlite") == .sqlite(path: "/srv/news.sqlite"))
    }

    @Test(arguments: [
        "postgres://newsroom:\(password)@/news", "postgres://newsroom:\(password)@db:notaport/news",
        "postgres://newsroom:\(password)@db/news?sslmode=sometimes", "postgres://newsroom:\(password)@db/news?frobnicate=1",
        "postgresql://newsroom:\(password)@db:99999/news",
    ])
    func aMalformedURLIsRefusedWithoutRepeatingThePassword(url: String) {
        #expect(throws: ConfigError.self) { try Self.resolve(["DATABASE_URL": url]) }
        do {
            _ = try Self.resolve(["DATABASE_URL": url])
        } catch {
            #expect(!error.description.contains(Self.password), "\(error)")
            #expect(!error.description.contains("very-secret"), "\(error)")
            guard case .invalidDatabaseURL = error else { Issue.record("expected invalidDatabaseURL, got \(error)"); return }
        }
    }

    /// Instances share sealed tokens: no key generated for one machine, even for a local trial over plain http.
    @Test func postgresNeedsAnExplicitSecretKeyEvenWithInsecureTransport() throws {
        var options = ServeOptions()
        options.insecureTransport = true
        options.host = "127.0.0.1"
        let environment = ["GITHUB_ORG": "acme", "DATABASE_URL": Self.url]
        #expect(throws: ConfigError.secretKeyNeededForPostgres(minimumBytes: ConfigResolver.minimumSecretKeyBytes)) {
            try ConfigResolver.resolve(options, environment: environment)
        }
        let error = ConfigError.secretKeyNeededForPostgres(minimumBytes: 32)
        #expect(error.description.contains("APP_SECRET_KEY") && error.description.contains("same key"))
        var withKey = environment
        withKey["APP_SECRET_KEY"] = String(repeating: "k", count: 32)
        #expect(try ConfigResolver.resolve(options, environment: withKey).databasePath == Self.url)
    }
}

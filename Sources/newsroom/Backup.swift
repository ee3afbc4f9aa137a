import ArgumentParser
import Foundation
import Storage

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database, consistently, while the server keeps running (SQLite's online backup).",
        discussion: "Restore by stopping newsroom and putting the copy in place of the database file (README: Backups).")

    @Option(help: "The database to copy (an SQLite file).") var database = "newsroom.sqlite"
    @Flag(help: "Replace the output file if it exists.") var force = false
    @Argument(help: "The new file to write, e.g. newsroom-2026-05-28.sqlite.") var output: String

    func run() throws {
        CLILogging.setUp()
        // The URL may carry a password: it is recognised by its scheme and never echoed.
        let scheme = database.prefix { $0 != ":" }.lowercased()
        if database.contains("://"), scheme == "postgres" || scheme == "postgresql" {
            CLILogging.fail("newsroom backup: this is a PostgreSQL database: back it up with pg_dump, e.g. "
                            + "`pg_dump --format=custom --file=newsroom.dump \"$NEWSROOM_DATABASE\"` (restore with pg_restore)")
        }
        do {
            try SQLiteStore.backup(databaseAt: database, to: output, replacing: force)
        } catch {
            CLILogging.fail("newsroom backup: \(error)")
        }
        print("newsroom backup: copied \(database) to \(output)")
    }
}

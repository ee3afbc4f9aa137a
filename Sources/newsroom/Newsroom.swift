import ArgumentParser

/// The command line: thin, it parses arguments and calls into the Newsroom module.
@main
struct NewsroomCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsroom",
        abstract: "A members-only news reader: fetches RSS/Atom feeds and serves them to GitHub-authenticated members.",
        subcommands: [Serve.self, Fetch.self, Headlines.self, Backup.self, Parse.self, Check.self],
        defaultSubcommand: Serve.self)
}

import Foundation
import Logging
import Newsroom

/// Where the command line's words go: log lines and the start-up banner to stderr, as text or (`LOG_FORMAT=json`)
/// as one JSON object per line. The format is set once for the whole process, before anything logs, so library
/// loggers (Hummingbird's, ServiceLifecycle's) follow it too.
enum CLILogging {
    /// Resolved and bootstrapped on first use: LOG_FORMAT (text, json) and LOG_LEVEL (trace…critical, default info).
    private static let setting: (format: LogFormat, level: Logger.Level) = {
        let environment = ProcessInfo.processInfo.environment
        let level = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let format: LogFormat
        do { format = try LogFormat.resolve(environment: environment) } catch {
            // Said as plain text: the format asked for is the thing that is wrong.
            FileHandle.standardError.write(Data("newsroom: \(error)\n".utf8))
            exit(1)
        }
        switch format {
        case .text: LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        case .json: LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        }
        return (format, level)
    }()

    /// Checks LOG_FORMAT and sets up logging; a command calls it first, so a bad value stops it before any work.
    static func setUp() { _ = setting }

    static var format: LogFormat { setting.format }

    static func logger(label: String = "newsroom") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = setting.level
        return logger
    }

    /// A line for the person running the command (banner, a command's failure): as it is in text, or as a log
    /// event in JSON so that stderr stays one object per line. "WARNING:" lines are warnings.
    static func say(_ line: String, level: Logger.Level? = nil) {
        switch format {
        case .text:
            FileHandle.standardError.write(Data((line + "\n").utf8))
        case .json:
            let level = level ?? (line.contains("WARNING:") ? .warning : .info)
            JSONLogSink.standardError.write(JSONLogLine.encode(timestamp: Date(), level: level, label: "newsroom", message: line, metadata: [:]))
        }
    }

    static func fail(_ line: String, code: Int32 = 1) -> Never {
        say(line, level: .error)
        exit(code)
    }

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

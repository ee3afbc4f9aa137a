import Foundation
import Logging

enum CLILogging {
    /// Logs to stderr; LOG_LEVEL (trace…critical) sets the level, info by default.
    static func logger(label: String = "newsroom") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        return logger
    }

    static func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func fail(_ line: String, code: Int32 = 1) -> Never {
        say(line)
        exit(code)
    }

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

/// How the process writes its log lines to stderr: `LOG_FORMAT=text` (the default, for people) or `json` (one
/// object per line, for log collectors).
public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json

    public static let variable = "LOG_FORMAT"

    /// Unset or empty is text; anything but `text` or `json` (any case) is refused rather than guessed at, so a typo
    /// never leaves a collector parsing lines it cannot read.
    public static func resolve(environment: [String: String]) throws(ConfigError) -> LogFormat {
        let raw = environment[variable] ?? ""
        let value = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if value.isEmpty { return .text }
        guard let format = LogFormat(rawValue: value) else { throw .unknownLogFormat(raw) }
        return format
    }
}

import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `LOG_FORMAT=json`: each log event as one JSON object on one line, with `timestamp` (UTC, milliseconds), `level`,
/// `label`, `message` and the metadata beside them. Bootstrapped for the whole process, so library loggers
/// (Hummingbird's, ServiceLifecycle's) write the same lines.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let sink: JSONLogSink

    public init(label: String, level: Logger.Level, sink: JSONLogSink = .standardError) {
        self.label = label
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        sink.write(JSONLogLine.encode(timestamp: Date(), level: event.level, label: label, message: event.message.description, metadata: merged))
    }
}

/// Where JSON lines go: stderr in the process, a buffer in tests. One write per line, under a lock, so lines
/// from concurrent tasks never interleave.
public final class JSONLogSink: Sendable {
    private let write: Mutex<@Sendable (String) -> Void>

    public init(_ write: @escaping @Sendable (String) -> Void) { self.write = Mutex(write) }

    public static let standardError = JSONLogSink { line in
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if written < 0 { if errno == EINTR { continue }; return }
            offset += written
        }
    }

    public func write(_ line: String) { write.withLock { $0(line) } }
}

/// The encoding of one line. Escapes what JSON requires and more: every control character (so a message holding a
/// newline stays one line), U+2028 and U+2029 (line breaks to some readers). Swift strings are valid Unicode, so
/// bytes that were not valid UTF-8 arrive here as U+FFFD and leave as valid UTF-8.
public enum JSONLogLine {
    /// Field names the line itself uses; metadata under one of these names is written as `meta_NAME`.
    static let reserved: Set<String> = ["timestamp", "level", "label", "message"]

    public static func encode(timestamp: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        var out = "{\"timestamp\":"
        appendString(timestamp3339(timestamp), to: &out)
        out += ",\"level\":"
        appendString(level.rawValue, to: &out)
        out += ",\"label\":"
        appendString(label, to: &out)
        out += ",\"message\":"
        appendString(message, to: &out)
        for key in metadata.keys.sorted() {
            out += ","
            appendString(reserved.contains(key) ? "meta_" + key : key, to: &out)
            out += ":"
            appendValue(metadata[key]!, to: &out)
        }
        out += "}"
        return out
    }

    static func appendValue(_ value: Logger.Metadata.Value, to out: inout String) {
        switch value {
        case .string(let text): appendString(text, to: &out)
        case .stringConvertible(let convertible): appendString(convertible.description, to: &out)
        case .array(let values):
            out += "["
            for (index, element) in values.enumerated() {
                if index > 0 { out += "," }
                appendValue(element, to: &out)
            }
            out += "]"
        case .dictionary(let entries):
            out += "{"
            for (index, key) in entries.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                appendString(key, to: &out)
                out += ":"
                appendValue(entries[key]!, to: &out)
            }
            out += "}"
        }
    }

    static func appendString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// RFC 3339 in UTC with milliseconds: `2026-05-28T20:26:40.123Z`.
    static func timestamp3339(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(millis / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(millis % 1000))
    }
}

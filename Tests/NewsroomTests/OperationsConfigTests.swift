import Foundation
import Testing
@testable import Newsroom

/// `--metrics-address` / NEWSROOM_METRICS_ADDRESS and LOG_FORMAT: what is accepted, and that anything else is
/// refused with a message that names the setting and stays one line.
@Suite struct OperationsConfigTests {
    static func resolve(metricsFlag: String? = nil, environment extra: [String: String] = [:], port: Int? = nil) throws(ConfigError) -> AppConfig {
        var options = ServeOptions()
        options.metricsAddress = metricsFlag
        options.port = port
        var environment = ConfigResolverTests.production
        for (name, value) in extra { environment[name] = value }
        return try ConfigResolver.resolve(options, environment: environment)
    }

    @Test func metricsAreOffUnlessAskedFor() throws {
        #expect(try Self.resolve().metricsAddress == nil)
        #expect(try Self.resolve(environment: ["NEWSROOM_METRICS_ADDRESS": "  "]).metricsAddress == nil)
    }

    @Test func metricsAddressFromTheFlagOrTheEnvironment() throws {
        #expect(try Self.resolve(metricsFlag: "127.0.0.1:9464").metricsAddress == MetricsAddress(host: "127.0.0.1", port: 9464))
        #expect(try Self.resolve(environment: ["NEWSROOM_METRICS_ADDRESS": "0.0.0.0:9100"]).metricsAddress == MetricsAddress(host: "0.0.0.0", port: 9100))
        // The flag wins.
        #expect(try Self.resolve(metricsFlag: "localhost:9464", environment: ["NEWSROOM_METRICS_ADDRESS": "0.0.0.0:9100"]).metricsAddress
                == MetricsAddress(host: "localhost", port: 9464))
        let v6 = try Self.resolve(metricsFlag: "[::1]:9464").metricsAddress
        #expect(v6 == MetricsAddress(host: "::1", port: 9464))
        #expect(v6?.description == "[::1]:9464")
        // Port 0: any free port, never the app's.
        #expect(try Self.resolve(metricsFlag: "127.0.0.1:0", port: 0).metricsAddress?.port == 0)
    }

    @Test(arguments: [
        "", "9464", ":9464", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:+80", "127.0.0.1:0x50",
        "127.0.0.1:99999999999999999999", "http://127.0.0.1:9464", "127.0.0.1:9464/metrics", "user@host:9464", "host name:9464",
        "::1:9464", "[::1]9464", "[::1]:", "[host]:9464", "[]:9464", "ｌｏｃａｌｈｏｓｔ:9464", "127.0.0.1:９４６４", "[::１]:9464",
        "127.0.0.1:9464\n", "evil\u{1B}[2J:9464", "127.0.0.1:9464?x=1",
    ])
    func malformedMetricsAddressesAreRefused(_ raw: String) {
        let error = #expect(throws: ConfigError.self) { try Self.resolve(metricsFlag: raw) }
        let message = error?.description ?? ""
        #expect(message.contains("--metrics-address must be HOST:PORT"), "\(message)")
        #expect(!message.contains("\n") && !message.contains("\u{1B}"), "the message must stay one plain line: \(message)")
    }

    @Test func theEnvironmentVariableIsNamedWhenItIsTheBadOne() {
        let error = #expect(throws: ConfigError.self) { try Self.resolve(environment: ["NEWSROOM_METRICS_ADDRESS": "nonsense"]) }
        #expect(error?.description.hasPrefix("NEWSROOM_METRICS_ADDRESS must be HOST:PORT") == true)
    }

    @Test func metricsAreNeverServedOnTheAppsPort() {
        for (flag, env) in [("127.0.0.1:8080", nil), ("0.0.0.0:8080", nil), (nil, "[::1]:8080")] as [(String?, String?)] {
            let error = #expect(throws: ConfigError.self) {
                try Self.resolve(metricsFlag: flag, environment: env.map { ["NEWSROOM_METRICS_ADDRESS": $0] } ?? [:], port: 8080)
            }
            #expect(error == .metricsOnAppPort(setting: flag == nil ? "NEWSROOM_METRICS_ADDRESS" : "--metrics-address", port: 8080))
            #expect(error?.description.contains("port of its own") == true)
        }
        #expect(throws: ConfigError.metricsOnAppPort(setting: "NEWSROOM_METRICS_ADDRESS", port: 9000)) {
            try Self.resolve(environment: ["NEWSROOM_METRICS_ADDRESS": "127.0.0.1:9000", "NEWSROOM_PORT": "9000"])
        }
    }

    @Test func logFormatIsTextUnlessJSONIsAsked() throws {
        #expect(try LogFormat.resolve(environment: [:]) == .text)
        #expect(try LogFormat.resolve(environment: ["LOG_FORMAT": ""]) == .text)
        #expect(try LogFormat.resolve(environment: ["LOG_FORMAT": "text"]) == .text)
        #expect(try LogFormat.resolve(environment: ["LOG_FORMAT": "json"]) == .json)
        #expect(try LogFormat.resolve(environment: ["LOG_FORMAT": " JSON "]) == .json)
    }

    @Test(arguments: ["jsno", "logfmt", "1", "json,text", "json\n", "json\u{0}", "\u{1B}[31mjson", String(repeating: "x", count: 10_000)])
    func unknownLogFormatsAreRefused(_ raw: String) {
        let error = #expect(throws: ConfigError.self) { try LogFormat.resolve(environment: ["LOG_FORMAT": raw]) }
        let message = error?.description ?? ""
        #expect(message.hasPrefix("LOG_FORMAT must be text or json"))
        #expect(!message.unicodeScalars.contains { $0.properties.generalCategory == .control }, "one printable line: \(message.debugDescription)")
        #expect(message.count < 200)
    }
}

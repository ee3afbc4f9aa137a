import Foundation
import Logging
import ServiceLifecycle
import GitHubSandbox

/// Offline trial: runs the GitHub sandbox's demo world on a loopback port and points the app at it.
enum SandboxLauncher {
    static func start(callbackURL: String, logger: Logger) async throws -> (GitHubSandbox, any Service, AppConfig.GitHubSettings) {
        let sandbox = GitHubSandbox.demo(callbackURL: callbackURL)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            do { try await sandbox.run(onRunning: { port in continuation.yield(port); continuation.finish() }) } catch {
                logger.error("GitHub sandbox stopped: \(error)")
            }
            continuation.finish()
        }
        var iterator = ports.makeAsyncIterator()
        guard await iterator.next() != nil, let authURL = sandbox.authURL, let apiURL = sandbox.apiURL else {
            task.cancel()
            throw ConfigError("the GitHub sandbox could not start")
        }
        let settings = AppConfig.GitHubSettings(clientID: GitHubSandbox.demoClientID, clientSecret: sandbox.demoClientSecret,
                                                authURL: authURL, apiURL: apiURL, usePKCE: true)
        return (sandbox, SandboxService(task: task), settings)
    }
}

/// Keeps the sandbox's server task tied to the application's lifetime.
struct SandboxService: Service {
    let task: Task<Void, Never>
    func run() async throws {
        try? await gracefulShutdown()
        task.cancel()
    }
}

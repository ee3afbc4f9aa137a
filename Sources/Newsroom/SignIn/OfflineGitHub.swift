import Foundation
import Hummingbird
import GitHubSandbox

/// The offline trial: GitHub's demo stand-in, served by the app itself under `/_sandbox/github`, so it needs
/// no port of its own and starts and stops with the app.
public enum OfflineGitHub {
    static let prefix = "/_sandbox/github"

    /// The demo world (octocat in acme, hubot outside, pending-pat invited), with `config.github` pointed at it.
    public static func sandbox(for config: inout AppConfig) -> GitHubSandbox {
        let sandbox = GitHubSandbox.demo(callbackURL: config.callbackURL, webPrefix: prefix, apiPrefix: prefix + "/api/v3")
        point(sandbox, at: &config)
        return sandbox
    }

    /// Points the app at the sandbox on its own public URL, and the sandbox's demo app back at the app's callback.
    static func point(_ sandbox: GitHubSandbox, at config: inout AppConfig) {
        sandbox.setCallbackURL(config.callbackURL)
        config.github = AppConfig.GitHubSettings(
            clientID: GitHubSandbox.demoClientID, clientSecret: sandbox.demoClientSecret,
            authURL: sandbox.authURL(origin: config.publicURL), apiURL: sandbox.apiURL(origin: config.publicURL), usePKCE: true)
    }
}

/// Hands the sandbox's paths to the sandbox, before sessions: its pages are GitHub's, not the reader's.
struct SandboxMount: RouterMiddleware {
    typealias Context = NewsroomContext
    let sandbox: GitHubSandbox

    func handle(_ request: Request, context: NewsroomContext, next: (Request, NewsroomContext) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix(OfflineGitHub.prefix + "/") else { return try await next(request, context) }
        return await sandbox.handle(request)
    }
}

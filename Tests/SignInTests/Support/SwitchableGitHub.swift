import Foundation
import Synchronization
import Testing
import AppTestSupport
import Curl
import GitHub
@testable import Newsroom

/// A network to GitHub that a test can cut: while down, every call goes to a loopback port nothing listens
/// on, so it fails as an unreachable GitHub does (connection refused), for real.
final class GitHubNetwork: Sendable {
    private let down: Mutex<Bool>

    init(down: Bool) { self.down = Mutex(down) }

    var isDown: Bool {
        get { down.withLock { $0 } }
        set { down.withLock { $0 = newValue } }
    }
}

extension AppHarness {
    /// A GitHub client configured like the app's, on the app's clock, over `network`.
    func githubOnAppClock(over network: GitHubNetwork = GitHubNetwork(down: false)) throws -> GitHubClient {
        let settings = try #require(config.github)
        let curl = browserCurl
        return try GitHubClient(
            configuration: GitHubConfiguration(
                clientID: settings.clientID, clientSecret: settings.clientSecret, authURL: settings.authURL, apiURL: settings.apiURL,
                redirectURI: config.callbackURL, usePKCE: settings.usePKCE, userAgent: Version.userAgent),
            now: { [clock] in clock.now }) { request throws(CurlError) -> CurlResponse in
                var request = request
                if network.isDown { request.url = "http://127.0.0.1:9/" }
                return try await curl.send(request)
            }
    }
}

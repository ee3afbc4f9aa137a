import Curl
import Foundation
import GitHub
import GitHubSandbox
import Testing

@Suite struct SandboxLifecycleTests {
    @Test func unbindableAddressFailsInsteadOfHanging() async throws {
        let sandbox = GitHubSandbox.demo(callbackURL: callbackURL)
        // TEST-NET-3: never a local address, so bind fails.
        await #expect(throws: (any Error).self) {
            try await sandbox.withRunningServer(host: "203.0.113.7") { _ in Issue.record("server should not start") }
        }
        #expect(sandbox.origin == nil)
    }

    @Test func callbackCanBeChangedWhileRunning() async throws {
        try await withSandbox { h in
            h.sandbox.setCallbackURL("http://127.0.0.1:8080/auth/callback")
            let moved = try h.makeClient(redirectURI: "http://127.0.0.1:8080/auth/callback")
            let page = try await h.browse(moved.authorizeURL(state: "s", codeChallenge: nil, scopes: []))
            #expect(String(decoding: page.body, as: UTF8.self).contains("Sign in as octocat"))
            #expect(h.sandbox.authURL(origin: "http://x") == "http://x/login/oauth/")
            #expect(h.sandbox.apiURL(origin: "http://x") == "http://x/api/v3/")
        }
    }

    @Test func demoSecretsAreRandomPerSandbox() {
        let a = GitHubSandbox.demo(callbackURL: callbackURL).demoClientSecret
        let b = GitHubSandbox.demo(callbackURL: callbackURL).demoClientSecret
        #expect(a != b && a.count >= 32)
    }
}

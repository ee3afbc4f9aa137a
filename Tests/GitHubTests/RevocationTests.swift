import Curl
import Foundation
import GitHub
import GitHubSandbox
import Testing

@Suite struct RevocationTests {
    @Test func revokeGrantInvalidatesEveryTokenOfTheUserAndResetsConsent() async throws {
        try await withSandbox { h in
            let first = try await h.login(1).token
            let second = try await h.login(1).token
            let other = try await h.login(2).token
            #expect(h.sandbox.liveTokenCount(ofUserID: 1) == 2)
            try await h.client.revokeGrant(token: second)
            #expect(h.sandbox.liveTokenCount(ofUserID: 1) == 0)
            await #expect(throws: GitHubError.badCredentials) { try await h.client.user(token: first) }
            #expect(try await h.client.user(token: other).id == 2)
            h.sandbox.setSignedInUser("octocat")
            #expect(try await h.browse(h.client.authorizeURL(state: "s", codeChallenge: nil, scopes: ["read:org"])).status == 200)
        }
    }

    @Test func wrongClientSecretIsRejected() async throws {
        try await withSandbox { h in
            let token = try await h.login(1).token
            let wrong = try h.makeClient(clientSecret: "rotated-away")
            await #expect(throws: GitHubError.clientCredentialsRejected) { try await wrong.revokeGrant(token: token) }
            #expect(try await h.client.user(token: token).id == 1)
        }
    }
}

/// `revokeToken(token:)`: an ordinary sign-out ends one token, not the user's other sessions or the consent.
@Suite struct TokenRevocationTests {
    @Test func revokeTokenEndsOnlyThatToken() async throws {
        try await withSandbox { h in
            let first = try await h.login(1).token
            let second = try await h.login(1).token
            try await h.client.revokeToken(token: second)
            await #expect(throws: GitHubError.badCredentials) { try await h.client.user(token: second) }
            #expect(try await h.client.user(token: first).id == 1)
            #expect(h.sandbox.liveTokenCount(ofUserID: 1) == 1)
            // The authorization stays: a signed-in user is sent straight back, without the consent page.
            h.sandbox.setSignedInUser("octocat")
            #expect(try await h.browse(h.client.authorizeURL(state: "s", codeChallenge: nil, scopes: ["read:org"])).status == 302)

            let call = try #require(h.sandbox.requests.last { $0.endpoint == .revokeToken })
            #expect(call.method == "DELETE" && call.path == "/api/v3/applications/\(GitHubSandbox.demoClientID)/token")
            #expect(call.authorizationScheme == "Basic" && call.status == 204)
        }
    }

    @Test func revokingATokenThatIsAlreadyGoneIsNoError() async throws {
        try await withSandbox { h in
            let token = try await h.login(1).token
            try await h.client.revokeToken(token: token)
            try await h.client.revokeToken(token: token)
            try await h.client.revokeGrant(token: token)
            #expect(h.sandbox.requests.filter { $0.endpoint == .revokeToken }.map(\.status) == [204, 404])
            h.sandbox.injectAPIResponses(InjectedResponse(status: 422, body: #"{"message":"Validation Failed"}"#))
            try await h.client.revokeToken(token: token)
            h.sandbox.injectAPIResponses(.serverError(502))
            await #expect(throws: GitHubError.unexpectedStatus(502, endpoint: .revocation)) { try await h.client.revokeToken(token: token) }
        }
    }

    @Test func wrongClientSecretIsRejectedAndTheTokenLives() async throws {
        try await withSandbox { h in
            let token = try await h.login(1).token
            await #expect(throws: GitHubError.clientCredentialsRejected) { try await h.makeClient(clientSecret: "rotated-away").revokeToken(token: token) }
            #expect(try await h.client.user(token: token).id == 1)
        }
    }

    /// Revocation is per app: neither call reaches a token another OAuth app holds for the same user.
    @Test func revocationNeverReachesAnotherAppsTokens() async throws {
        try await withSandbox { h in
            h.sandbox.registerApp(SandboxOAuthApp(clientID: "other-app", clientSecret: "other-secret", callbackURL: callbackURL))
            let others = try #require(h.sandbox.grantToken(to: "octocat", clientID: "other-app"))
            let mine = try await h.login(1).token
            try await h.client.revokeToken(token: others)  // not this app's: GitHub answers 404
            try await h.client.revokeGrant(token: mine)
            #expect(h.sandbox.liveTokenCount(ofUserID: 1) == 1)
            #expect(try await h.client.user(token: others).id == 1)
            await #expect(throws: GitHubError.badCredentials) { try await h.client.user(token: mine) }
        }
    }
}

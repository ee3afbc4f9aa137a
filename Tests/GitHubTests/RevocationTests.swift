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

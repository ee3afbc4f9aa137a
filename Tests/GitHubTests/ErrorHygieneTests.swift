import Curl
import Foundation
import GitHub
import GitHubSandbox
import Testing

/// No GitHubError description, and no sandbox log entry, ever carries a token, code, verifier or secret.
@Suite struct ErrorHygieneTests {
    @Test func noSecretAppearsInAnyErrorOrLog() async throws {
        try await withSandbox { h in
            let secret = h.sandbox.demoClientSecret
            var errors: [GitHubError] = []
            func capture(_ work: () async throws -> Void) async {
                do { try await work() } catch let error as GitHubError { errors.append(error) } catch { Issue.record("not a GitHubError: \(type(of: error))") }
            }
            let token = try await h.login(1).token
            let (code, pkce) = try await h.authorize(1)
            let (code2, _) = try await h.authorize(1)
            await capture { _ = try await h.client.exchangeCode(code2, codeVerifier: pkce.verifier) }          // bad verifier
            _ = try await h.client.exchangeCode(code, codeVerifier: pkce.verifier)
            await capture { _ = try await h.client.exchangeCode(code, codeVerifier: pkce.verifier) }           // reused
            await capture { _ = try await h.makeClient(clientSecret: secret + "x").exchangeCode(code, codeVerifier: nil) }
            await capture { _ = try await h.makeClient(redirectURI: callbackURL + "/x").exchangeCode(code, codeVerifier: nil) }
            for injected in [InjectedResponse(status: 200, body: #"{"error":"gho_\#(token)","error_description":"\#(secret)"}"#),
                             InjectedResponse(status: 200, body: #"{"access_token":"\#(token)","token_type":"\#(secret)"}"#),
                             InjectedResponse(status: 200, body: #"{"access_token":"\#(token)"}"#),
                             InjectedResponse(status: 200, body: "access_token=\(token)"), .serverError(), .rateLimited()] {
                h.sandbox.injectTokenResponses(injected)
                await capture { _ = try await h.client.exchangeCode(code, codeVerifier: pkce.verifier) }
            }
            for injected in [InjectedResponse.serverError(), .rateLimited(), InjectedResponse(status: 200, body: token)] {
                h.sandbox.injectAPIResponses(injected)
                await capture { _ = try await h.client.user(token: token) }
            }
            await capture { try await h.makeClient(clientSecret: "wrong-\(secret)").revokeGrant(token: token) }
            try await h.client.revokeGrant(token: token)
            await capture { _ = try await h.client.user(token: token) }
            try await h.client.revokeGrant(token: token)  // already gone: revoking again is no error
            await capture { _ = try await h.makeClient(timeout: .milliseconds(1)).user(token: token) }
            await capture {
                try GitHubConfiguration(clientID: "id", clientSecret: secret, redirectURI: "nope \(secret)", userAgent: "t").validate()
            }
            #expect(errors.count == 17)
            for error in errors {
                expectNoSecrets(in: error, secrets: [secret, token, code, code2, pkce.verifier])
                #expect(!error.description.contains("<") && !error.description.isEmpty)
            }
            let log = h.sandbox.requests.map { "\($0)" }.joined(separator: "\n")
            for value in [secret, token, code, code2, pkce.verifier] { #expect(!log.contains(value)) }
        }
    }
}

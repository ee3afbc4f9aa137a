import Curl
import TestSupport

/// Runs `send` and captures the typed outcome, so tests can assert on success and on each error kind.
func outcome(of request: CurlRequest, with client: CurlClient) async -> Result<CurlResponse, CurlError> {
    do throws(CurlError) {
        return .success(try await client.send(request))
    } catch {
        return .failure(error)
    }
}

extension Result where Failure == CurlError {
    var error: CurlError? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// A server that answers every request with the same scripted response.
func server(answering response: ScriptedResponse) throws -> LoopbackHTTPServer {
    try LoopbackHTTPServer { _ in response }
}

/// "hello gzip world, hello gzip world, hello!" compressed with `gzip -c -n`.
let gzippedGreeting: [UInt8] = [
    31, 139, 8, 0, 0, 0, 0, 0, 0, 3, 203, 72, 205, 201, 201, 87, 72, 175, 202, 44, 80, 40, 207, 47, 202, 73, 209, 81,
    200, 192, 46, 162, 8, 0, 1, 201, 251, 207, 42, 0, 0, 0,
]
let greeting = "hello gzip world, hello gzip world, hello!"

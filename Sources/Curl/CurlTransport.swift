/// Sends one request and returns the final response: live it is `CurlClient.send`, tests point it
/// anywhere on loopback. The one shape every HTTP-using module (GitHub, the app) takes as an effect.
public typealias CurlTransport = @Sendable (CurlRequest) async throws(CurlError) -> CurlResponse

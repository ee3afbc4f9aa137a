import Foundation
import HTTPTypes
import Hummingbird

/// One request as an endpoint sees it: the request, its body (read up front, capped) and the route's parameters.
struct SandboxCall: Sendable {
    var request: Request
    var body: ByteBuffer
    var parameters: Parameters

    func header(_ name: HTTPField.Name) -> String? {
        request.headers[name]
    }

    /// A path parameter, percent-decoded: `..%2Fuser` is one segment whose text is `../user`.
    /// A malformed escape keeps its raw text, which then matches nothing.
    func parameter(_ name: String) -> String {
        let raw = parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }
}

extension GitHubSandbox {
    /// Bodies are small on GitHub's OAuth and token-check endpoints; anything bigger is refused unread.
    static let bodyLimit = 256 * 1024

    /// Methods the catch-all routes answer with GitHub's 404s.
    private static let catchAllMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete]

    /// Adds the sandbox's routes to `router` (a `Router` or a `RouterGroup` of any context), at `webPrefix + "/login/oauth/…"`
    /// and `apiPrefix + "/…"` relative to it. Unknown paths below the prefixes get GitHub's 404s; a request the host
    /// router cannot match at all (an unknown method on a known path) gets the host's own 404.
    public func addRoutes<Context: RequestContext>(to router: some RouterMethods<Context>) {
        Self.addRoutes(to: router) { self }
    }

    /// The routes, answered by whatever `sandbox` returns: `self` for a host's router, an unowned reference for the
    /// router the sandbox keeps for itself (a strong one there would keep the sandbox alive forever).
    static func addRoutes<Context: RequestContext>(to router: some RouterMethods<Context>,
                                                   answeredBy sandbox: @escaping @Sendable () -> GitHubSandbox) {
        func add(_ group: RouterGroup<Context>, _ path: RouterPath, _ method: HTTPRequest.Method, _ endpoint: SandboxEndpoint,
                 _ respond: @escaping @Sendable (GitHubSandbox, SandboxCall) -> Response) {
            group.on(path, method: method) { request, context in
                let sandbox = sandbox()
                return await sandbox.serve(endpoint, request, parameters: context.parameters) { respond(sandbox, $0) }
            }
        }
        let web = router.group(RouterPath(sandbox().webPrefix + "/login/oauth"))
        add(web, "authorize", .get, .authorizePage) { $0.authorizePage($1) }
        add(web, "authorize", .post, .authorizeDecision) { $0.authorizeDecision($1) }
        add(web, "access_token", .post, .accessToken) { $0.accessToken($1) }
        add(web, RouterPath(SandboxPages.stylesheetName), .get, .stylesheet) { _, _ in SandboxPages.stylesheet() }

        let api = router.group(RouterPath(sandbox().apiPrefix))
        add(api, "user", .get, .user) { s, call in s.withToken(call, acceptedScopes: "", s.user) }
        add(api, "users/:username", .get, .userByLogin) { s, call in
            s.withAnyCaller(call) { s.userByLogin(call.parameter("username")) }
        }
        add(api, "user/memberships/orgs/:org", .get, .orgMembership) { s, call in
            s.withToken(call) { s.orgMembership(org: call.parameter("org"), $0) }
        }
        add(api, "orgs/:org/members/:username", .get, .orgMember) { s, call in
            s.withToken(call) { s.orgMember(org: call.parameter("org"), login: call.parameter("username"), $0) }
        }
        add(api, "orgs/:org/public_members/:username", .get, .publicMember) { s, call in
            s.withToken(call) { _ in .githubError(.notFound, "Not Found") }
        }
        add(api, "orgs/:org/teams/:team/memberships/:username", .get, .teamMembership) { s, call in
            s.withToken(call) { s.teamMembership(org: call.parameter("org"), team: call.parameter("team"), login: call.parameter("username"), $0) }
        }
        for (method, path, endpoint) in [(HTTPRequest.Method.delete, "token", SandboxEndpoint.revokeToken),
                                         (.delete, "grant", .revokeGrant), (.post, "token", .checkToken)] {
            add(api, RouterPath("applications/:client_id/" + path), method, endpoint) { s, call in
                s.withClient(call) { s.applicationToken(endpoint, app: $0, token: $1) }
            }
        }
        for method in catchAllMethods {
            add(web, "**", method, .notFound) { $0.unmatched($1) }
            add(api, "", method, .notFound) { $0.unmatched($1) }
            add(api, "**", method, .notFound) { $0.unmatched($1) }
        }
    }

    /// Reads the body, waits out the injected latency, answers, and logs the exchange as `endpoint`.
    func serve(_ endpoint: SandboxEndpoint, _ request: Request, parameters: Parameters = .init(),
               _ respond: (SandboxCall) -> Response) async -> Response {
        let response: Response
        if let body = try? await request.body.collect(upTo: Self.bodyLimit) {
            await waitOutLatency()
            response = respond(SandboxCall(request: request, body: body, parameters: parameters))
        } else {
            response = .text(.contentTooLarge, "Request body larger than \(Self.bodyLimit / 1024) KiB.\n", contentType: "text/plain; charset=utf-8")
        }
        log(request, endpoint: endpoint, status: response.status.code)
        return response
    }

    /// The answer to a path no route knows, chosen by prefix as GitHub's hosts would: the API's 404 (after its
    /// usual gates) below `apiPrefix`, else the web's bare 404 page.
    func unmatched(_ call: SandboxCall) -> Response {
        let path = call.request.uri.path
        guard !path.hasPrefix(webPrefix + "/login/oauth/"), path == apiPrefix || path.hasPrefix(apiPrefix + "/") else {
            return .notFoundPage
        }
        let first = path.dropFirst(apiPrefix.count).split(separator: "/").first
        return unknownAPIPath(call, applications: first.map { String($0).removingPercentEncoding == "applications" } ?? false)
    }

    /// Re-reads the latency while waiting, so `setLatency(.zero)` releases requests already held.
    private func waitOutLatency() async {
        let start = ContinuousClock.now
        while !Task.isCancelled, ContinuousClock.now - start < state.withLock({ $0.latency }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Keeps no query string, body or credential: only the Authorization scheme.
    private func log(_ request: Request, endpoint: SandboxEndpoint, status: Int) {
        let scheme = request.headers[.authorization]?.split(separator: " ", maxSplits: 1).first.map(String.init)
        let entry = SandboxRequest(
            method: request.method.rawValue, path: request.uri.path, endpoint: endpoint, time: now,
            userAgent: request.headers[.userAgent], accept: request.headers[.accept],
            apiVersion: request.headers[.gitHubAPIVersion], authorizationScheme: scheme, status: status)
        state.withLock { $0.requests.append(entry) }
    }
}

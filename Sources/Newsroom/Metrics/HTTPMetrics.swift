import Hummingbird
import Metrics
import Prometheus
import Synchronization

/// Request count and duration by route and status, recorded by Hummingbird's `MetricsMiddleware`.
///
/// That middleware takes no factory: it records through swift-metrics' process-wide `MetricsSystem`, which may be
/// bootstrapped once per process. So the HTTP series live in one process-wide registry, bootstrapped the first time
/// an app with a metrics listener is built (`serve` builds one app per process; a test process that builds many
/// shares these series, and its tests only ever look for increases). Everything else the app counts goes to the
/// app's own `AppMetrics` registry, passed explicitly, so parallel tests never see each other's feeds or sign-ins.
///
/// Names and labels are renamed to Prometheus conventions: `newsroom_http_requests_total{route,method,status}`,
/// `newsroom_http_request_duration_seconds` (histogram), `newsroom_http_request_errors_total`,
/// `newsroom_http_active_requests{method}`. `route` is the router's template (`/news/{id}`), "NotFound" when no route
/// matched, or "Unknown" for what middleware answered before routing (static files): never a raw path or a query.
public enum HTTPMetrics {
    /// The process-wide registry the bootstrapped `MetricsSystem` writes into; empty until `bootstrapOnce()`.
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    /// Points `MetricsSystem` at `registry`, once per process however often it is called.
    static func bootstrapOnce() {
        bootstrapped.withLock { done in
            guard !done else { return }
            var factory = PrometheusMetricsFactory(registry: registry)
            factory.nameAndLabelSanitizer = renamed
            factory.durationHistogramBuckets = ["newsroom_http_request_duration_seconds": requestDurationBuckets]
            MetricsSystem.bootstrap(factory)
            done = true
        }
    }

    static var isBootstrapped: Bool { bootstrapped.withLock { $0 } }

    /// From a fast cached page to the connection timeout.
    static let requestDurationBuckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                                     .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                                     .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30)]

    static let names = [
        "hb.requests": "newsroom_http_requests_total",
        "http.server.request.duration": "newsroom_http_request_duration_seconds",
        "hb.request.errors": "newsroom_http_request_errors_total",
        "http.server.active_requests": "newsroom_http_active_requests",
    ]
    static let labels = [
        "http.route": "route", "http.request.method": "method", "http.response.status_code": "status", "error.type": "status",
    ]

    /// Hummingbird's dotted OpenTelemetry-style names to ours; other libraries' metrics keep their names.
    @Sendable static func renamed(_ name: String, _ dimensions: [(String, String)]) -> (String, [(String, String)]) {
        guard let ours = names[name] else { return (name, dimensions) }
        return (ours, dimensions.map { (labels[$0.0] ?? $0.0, $0.1) })
    }

    /// The middleware, for the app's router (first, so it sees every response).
    static func middleware() -> KnownMethodsMetricsMiddleware {
        bootstrapOnce()
        return KnownMethodsMetricsMiddleware()
    }
}

/// Hummingbird's `MetricsMiddleware` for the HTTP methods there are; a request with any other method (a client can
/// send any token there) is served without being counted, so nobody can mint new series by inventing methods.
struct KnownMethodsMetricsMiddleware: RouterMiddleware {
    typealias Context = NewsroomContext
    private let metrics = MetricsMiddleware<NewsroomContext>()
    static let known: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .delete, .options, .patch, .trace, .connect]

    func handle(_ request: Request, context: NewsroomContext, next: (Request, NewsroomContext) async throws -> Response) async throws -> Response {
        guard Self.known.contains(request.method) else { return try await next(request, context) }
        return try await metrics.handle(request, context: context, next: next)
    }
}

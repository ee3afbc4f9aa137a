import Logging
import ServiceLifecycle

extension AppParts {
    /// What `/metrics` answers for this app.
    public var metricsExposition: MetricsExposition {
        MetricsExposition(metrics: pipeline.metrics, pageCache: pipeline.pages.lookups, store: store,
                          idleTimeout: sessions.seconds(config.idleTimeout), now: dependencies.now, logger: logger)
    }

    /// The metrics listener when `--metrics-address` asked for one; it runs whether or not the refresher does.
    func metricsListener(logger: Logger) -> [any Service] {
        guard let address = config.metricsAddress else { return [] }
        return [MetricsListener.service(address: address, exposition: metricsExposition, logger: logger)]
    }
}

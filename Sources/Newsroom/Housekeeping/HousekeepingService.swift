import Foundation
import ServiceLifecycle

/// The background loop around `Housekeeping`: one round shortly after start, then one every `interval`, until
/// graceful shutdown. Times come from the injected clock (`AppDependencies.now`); only the waits are real.
public struct HousekeepingService: Service {
    let housekeeping: Housekeeping
    let now: @Sendable () -> Date
    let interval: Duration
    /// Before the first round: lets the server come up before the first write.
    let firstDelay: Duration

    public static let defaultInterval: Duration = .seconds(10 * 60)
    public static let defaultFirstDelay: Duration = .seconds(5)

    public init(housekeeping: Housekeeping, now: @escaping @Sendable () -> Date,
                interval: Duration = HousekeepingService.defaultInterval, firstDelay: Duration = HousekeepingService.defaultFirstDelay) {
        self.housekeeping = housekeeping
        self.now = now
        self.interval = interval
        self.firstDelay = firstDelay
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            // A cancelled sleep returns early; the loop condition then ends the service without another round.
            try? await Task.sleep(for: firstDelay)
            while !Task.isCancelled {
                await housekeeping.round(now: now())
                try? await Task.sleep(for: interval)
            }
        }
    }
}

import Foundation
import ServiceLifecycle

/// Resolves the listed logins when the app starts, then once a day, until graceful shutdown. Start-up never
/// waits for it: when GitHub cannot be reached, the app serves anyway and the gate resolves on first use.
/// Times come from the injected clock (`AppDependencies.now`); only the waits are real.
public struct ListedAccountsService: Service {
    let accounts: ListedAccounts
    let now: @Sendable () -> Date
    let interval: Duration
    /// After a round that left a login unanswered: sooner than a day, so a start without GitHub catches up.
    let retryInterval: Duration

    public static let defaultInterval: Duration = .seconds(24 * 3600)
    public static let defaultRetryInterval: Duration = .seconds(15 * 60)

    public init(accounts: ListedAccounts, now: @escaping @Sendable () -> Date,
                interval: Duration = ListedAccountsService.defaultInterval,
                retryInterval: Duration = ListedAccountsService.defaultRetryInterval) {
        self.accounts = accounts
        self.now = now
        self.interval = interval
        self.retryInterval = retryInterval
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            // A cancelled sleep returns early; the loop condition then ends the service without another round.
            while !Task.isCancelled {
                let complete = await accounts.refresh(now: now())
                try? await Task.sleep(for: complete ? interval : retryInterval)
            }
        }
    }
}

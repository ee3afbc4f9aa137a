import ServiceLifecycle

/// `newsroom serve`'s application as a service, listed after the database's connections (`DatabaseForServing`) in
/// the server's service group: it starts (waits for the database, migrates, loads feeds.json, builds the parts)
/// while those connections run, and only then runs the application, whose HTTP server listens last. At shutdown
/// ServiceLifecycle stops it, and the web server and refresher inside it, before the connections.
public struct StartThenServe: Service {
    let start: @Sendable () async throws -> any Service

    /// - Parameter start: builds the application (a Hummingbird `Application` is a `Service`).
    public init(start: @escaping @Sendable () async throws -> any Service) {
        self.start = start
    }

    public func run() async throws {
        let application: any Service
        do {
            // A SIGTERM during the wait for the database ends the wait, rather than serving only to stop at once.
            application = try await cancelWhenGracefulShutdown(start)
        } catch {
            if Task.isShuttingDownGracefully { return }
            throw StartupFailure(reason: error)
        }
        if Task.isShuttingDownGracefully { return }
        // The application's own service group runs inside this service and hears this group's graceful shutdown.
        try await application.run()
    }
}

/// The server could not start: what went wrong is for the person who ran it (`newsroom: ...`, exit 1).
public struct StartupFailure: Error, CustomStringConvertible {
    public let reason: any Error
    public var description: String { "\(reason)" }
}

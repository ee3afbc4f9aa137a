import PostgresNIO
import Storage

// What PostgresNIO needs to reach the database the URL names. The only place the password is read.
extension PostgresURL {
    /// The pool's settings. Connections beyond the first are opened on demand and closed after a minute idle.
    var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch tlsConfiguration {
        case nil: tls = .disable
        case let configuration? where sslMode == .prefer || sslMode == .allow: tls = .prefer(configuration)
        case let configuration?: tls = .require(configuration)
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password,
                                                         database: database, tls: tls)
        if let connectTimeout { configuration.options.connectTimeout = connectTimeout }
        if let applicationName { configuration.options.additionalStartupParameters = [("application_name", applicationName)] }
        return configuration
    }

    /// The settings of one connection outside the pool: `PostgresStore.waitUntilReachable` opens those to learn why
    /// the server cannot be reached (the pool only retries, silently).
    /// - Throws: `StorageError.unreachable` when the TLS settings cannot be set up (e.g. `sslrootcert` unreadable).
    func connectionConfiguration(connectTimeout limit: Duration) throws(StorageError) -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch tlsConfiguration {
            case nil: tls = .disable
            case let configuration? where sslMode == .prefer || sslMode == .allow: tls = .prefer(try NIOSSLContext(configuration: configuration))
            case let configuration?: tls = .require(try NIOSSLContext(configuration: configuration))
            }
        } catch {
            throw .unreachable(location: redacted, reason: "cannot set up TLS (\(error))")
        }
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password,
                                                             database: database, tls: tls)
        let timeout = min(limit, connectTimeout ?? .seconds(10))
        configuration.options.connectTimeout = .nanoseconds(max(1, Int64(timeout.components.seconds) * 1_000_000_000
                                                                + timeout.components.attoseconds / 1_000_000_000))
        if let applicationName { configuration.options.additionalStartupParameters = [("application_name", applicationName)] }
        return configuration
    }

    /// NIOSSL's settings for the sslmode; nil when TLS is off. Only the verifying modes check the certificate, and
    /// only they use `sslrootcert`: libpq's `prefer` and `require` do not check it either.
    private var tlsConfiguration: TLSConfiguration? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable: return nil
        case .allow, .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        if let sslRootCertificatePath, sslMode == .verifyCA || sslMode == .verifyFull {
            configuration.trustRoots = .file(sslRootCertificatePath)
        }
        return configuration
    }
}

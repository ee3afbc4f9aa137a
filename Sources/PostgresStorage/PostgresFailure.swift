import PostgresNIO
import _ConnectionPoolModule
import Storage

/// Turns what PostgresNIO throws into `StorageError`, the same cases SQLite's failures map to.
///
/// Messages never carry a stored value: PostgresNIO's errors are not printed (their debug form holds the statement
/// and its bound values), only the SQLSTATE and the server's one-line message, which names tables and constraints,
/// never values (those are in the DETAIL field, which is left out), except for data errors (class 22), whose
/// message is left out too.
enum PostgresFailure {
    static func storageError(_ error: any Error, operation: String, location: String) -> StorageError {
        switch error {
        case let error as StorageError: return error
        case is CancellationError: return .busy(operation: operation)
        case let error as PSQLError: return storageError(error, operation: operation, location: location)
        // The pool's own refusals. After a minute of failed connection attempts it stops queueing requests and fails
        // them at once (its circuit breaker): the database is unreachable, which is transient (503), not a 500.
        case let error as ConnectionPoolError:
            if error == .requestCancelled { return .busy(operation: operation) }
            let reason = error == .poolShutdown ? "the connection pool is shut down"
                : "no connection could be made for a minute; still trying"
            return .unreachable(location: location, reason: reason)
        case let error as PostgresDecodingError:
            return .database(operation: operation,
                             reason: "column \(error.columnIndex) could not be read as \(error.targetType) (\(error.code))")
        default:
            return .database(operation: operation, reason: "\(type(of: error))")
        }
    }

    /// Whether a failure to connect may pass by waiting: a refused or dropped connection, a timeout, a server
    /// starting up or shutting down, yes; a refused login, a missing database, missing TLS, no.
    static func mayPassByWaiting(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return true }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            return !(state.hasPrefix("28") || state == "3D000" || state == "42501")
        case .sslUnsupported, .authMechanismRequiresPassword, .unsupportedAuthMechanism, .saslError, .failedToAddSSLHandler:
            return false
        default:
            return !isTLSFailure(error)
        }
    }

    /// A refused certificate (untrusted, wrong host name) or another TLS handshake failure, under the connection error.
    private static func isTLSFailure(_ error: PSQLError) -> Bool {
        var underlying = error.underlying
        while let current = underlying {
            if current is NIOSSLError || current is BoringSSLError { return true }
            underlying = (current as? PSQLError)?.underlying
        }
        return false
    }

    /// The SQLSTATE of a server error, nil for any other failure.
    static func sqlState(of error: any Error) -> String? {
        guard let error = error as? PSQLError, error.code == .server else { return nil }
        return error.serverInfo?[.sqlState]
    }

    private static func storageError(_ error: PSQLError, operation: String, location: String) -> StorageError {
        switch error.code {
        case .server:
            return serverError(error.serverInfo, operation: operation, location: location)
        case .queryCancelled:
            return .busy(operation: operation)
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return .unreachable(location: location, reason: reason(for: error))
        case .sslUnsupported:
            return .unreachable(location: location, reason: "the server does not offer TLS, which the URL's sslmode requires")
        case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            return .unreachable(location: location, reason: "TLS could not be set up")
        case .authMechanismRequiresPassword:
            return .unreachable(location: location, reason: "the server asks for a password and the URL has none")
        case .unsupportedAuthMechanism, .saslError:
            return .unreachable(location: location, reason: "authentication failed (\(error.code))")
        default:
            return .database(operation: operation, reason: "PostgreSQL client error \(error.code)")
        }
    }

    private static func serverError(_ info: PSQLError.ServerInfo?, operation: String, location: String) -> StorageError {
        let state = info?[.sqlState] ?? "?????"
        let message = info?[.message] ?? "no message"
        let reason = state.hasPrefix("22") ? "invalid data (SQLSTATE \(state))" : "\(message) (SQLSTATE \(state))"
        switch state {
        case "23505": return .alreadyExists(what: "a row with this key")
        // Deadlock, serialization failure, lock or statement timeout, cancelled by the server: someone else held
        // what this needed, as SQLITE_BUSY says; retrying may succeed.
        case "40P01", "40001", "55P03", "57014": return .busy(operation: operation)
        // Read-only transaction or standby, disk full, no permission: as SQLite's read-only file or full disk.
        case "25006", "53100", "42501": return .notWritable(path: location, reason: reason)
        default: break
        }
        // Connection trouble (08), a server shutting down or starting (57P), refused credentials (28), a missing
        // database (3D): the database is not there for us, whatever the statement.
        if state.hasPrefix("08") || state.hasPrefix("57P") || state.hasPrefix("28") || state == "3D000" {
            return .unreachable(location: location, reason: reason)
        }
        return .database(operation: operation, reason: reason)
    }

    /// A connection failure's cause, from the NIO error underneath (e.g. "connection refused"); never the PSQLError's
    /// own description.
    private static func reason(for error: PSQLError) -> String {
        guard let underlying = error.underlying else { return "\(error.code)" }
        if let inner = underlying as? PSQLError { return reason(for: inner) }
        return "\(underlying)"
    }
}

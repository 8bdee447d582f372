import Foundation
import PostgresNIO

/// Says why a PostgreSQL call failed, in words a person can act on. postgres-nio's own description hides
/// everything (it may hold query values); this keeps the server's message and SQLSTATE, or the network's reason,
/// and never a password (none is ever in them: the server does not echo it, and none is in any query).
enum PostgresFailure {
    static func reason(_ error: Error) -> String {
        guard let error = error as? PSQLError else { return network(error) ?? "\(error)" }
        switch error.code {
        case .server:
            let message = error.serverInfo?[.message] ?? "error"
            let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            let hint =
                error.serverInfo?[.sqlState] == "28P01"
                ? "; the password comes from --history-password-file, PGPASSWORD or ~/.pgpass" : ""
            return "the server says: \(message)\(state)\(hint)"
        case .connectionError:
            return "cannot connect: "
                + (error.underlying.map { network($0) ?? "\($0)" } ?? "connection failed")
        case .authMechanismRequiresPassword:
            return "the server asks for a password and none was given: put it in a file named by "
                + "--history-password-file (or [history] password_file), in PGPASSWORD, or in ~/.pgpass"
        case .sslUnsupported:
            return "the server does not offer TLS, and sslmode=require or verify-full asks for it"
        case .failedToAddSSLHandler:
            return "TLS could not be set up" + (error.underlying.map { ": \($0)" } ?? "")
        case .unsupportedAuthMechanism:
            return "the server asks for an authentication method this client does not support"
        case .serverClosedConnection, .uncleanShutdown:
            return "the server closed the connection" + (error.underlying.flatMap(network).map { ": \($0)" } ?? "")
        case .clientClosedConnection:
            return "the connection was closed"
        default:
            return "\(error.code)" + (error.underlying.flatMap(network).map { ": \($0)" } ?? "")
        }
    }

    /// A network error's reason (connection refused, timed out, host not found), or nil for another error.
    private static func network(_ error: Error) -> String? {
        switch error {
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return network(first.error) ?? "\(first.error)" }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "\(error.host): host not found" }
            return "\(error.host):\(error.port): no address"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode))
        case let error as ChannelError:
            if case .connectTimeout(let amount) = error {
                return "no answer within \(amount.nanoseconds / 1_000_000_000) s"
            }
            return "\(error)"
        default:
            return nil
        }
    }
}

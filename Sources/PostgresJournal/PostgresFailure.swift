import Journal
import PostgresNIO

/// What went wrong talking to the server, sorted into what a user can act on.
struct PostgresFailure: Error {
    let underlying: any Error

    init(_ error: any Error) {
        if let failure = error as? PostgresFailure {
            underlying = failure.underlying
        } else if let transaction = error as? PostgresTransactionError {
            // The first thing that went wrong is what the user needs to see.
            underlying = transaction.beginError ?? transaction.closureError ?? transaction.commitError ?? error
        } else {
            underlying = error
        }
    }

    /// No answer in time: no connection could be had, or the server is stuck.
    struct Timeout: Error { let seconds: Double }

    static func timedOut(after seconds: Double) -> PostgresFailure { PostgresFailure(Timeout(seconds: seconds)) }

    /// The server's SQLSTATE, for an error it sent.
    var sqlState: String? { (underlying as? PSQLError)?.serverInfo?[.sqlState] }

    /// The connection went away, or none could be had in time: worth trying again
    /// on a new one. Also a serialization failure or deadlock, which a retry clears.
    var isConnectionLoss: Bool {
        if underlying is Timeout { return true }
        guard let error = underlying as? PSQLError else { return false }
        if let state = sqlState {
            // 08: connection exception; 57P01-57P03: the server shut down or is starting;
            // 40001/40P01: serialization failure, deadlock.
            return state.hasPrefix("08") || ["57P01", "57P02", "57P03", "40001", "40P01"].contains(state)
        }
        return [.connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown].contains(error.code)
    }

    /// One sentence about the failure; never the password.
    func describe(_ location: PostgresLocation) -> String {
        if let newer = underlying as? PostgresSchema.NewerSchema {
            return "the journal's schema is version \(newer.found), newer than this moonwatch knows "
                + "(\(PostgresSchema.version)): upgrade moonwatch on this machine"
        }
        if let timeout = underlying as? Timeout {
            return "no answer from the server within \(Int(timeout.seconds)) s"
        }
        guard let error = underlying as? PSQLError else { return "\(underlying)" }
        if let info = error.serverInfo {
            let message = info[.message] ?? "error"
            switch sqlState {
            case "28P01", "28000":
                return "authentication failed for user \(location.user) (\(message)); check the password "
                    + "(the URL's, or the variable [journal] password_env names)"
            case "3D000":
                return "\(message); create it, or name another in the URL"
            case "42501":
                return "\(message); the user \(location.user) needs CREATE on the database (for the schema moonwatch) "
                    + "and SELECT, INSERT, UPDATE, DELETE on its tables"
            default:
                return message + (sqlState.map { " (SQLSTATE \($0))" } ?? "")
            }
        }
        switch error.code {
        case .connectionError:
            let cause = error.underlying.map { "\($0)" } ?? ""
            // NIO's text names every address it tried; the gist is what the user acts on.
            if cause.contains("Connection refused") { return "cannot connect: connection refused (is the server running and listening there?)" }
            if cause.lowercased().contains("timed out") || cause.contains("connectTimeout") { return "cannot connect: timed out" }
            return "cannot connect: \(cause.isEmpty ? "connection failed" : cause)"
        case .serverClosedConnection, .uncleanShutdown:
            return "the server closed the connection"
        case .sslUnsupported:
            return "the server does not support TLS (sslmode=disable connects without it)"
        case .authMechanismRequiresPassword:
            return "the server asks for a password and none was given (the URL's, or the variable [journal] password_env names)"
        default:
            return "\(error.code)"
        }
    }
}

import Foundation
import Journal
import NIOSSL
import PostgresNIO

/// Where a shared journal lives: `postgres://USER[:PASS]@HOST[:PORT]/DB[?sslmode=...&host=/socket/dir]`
/// (docs/journal.md §7).
///
/// The password is kept apart from everything printable: ``description``
/// names user, host, port and database only, so an error can say where it
/// failed without leaking the secret.
package struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// How to reach the server.
    package enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// The directory holding the server's socket, as libpq's `host=/dir`.
        case socket(directory: String, port: Int)
    }

    /// libpq's `sslmode`, the subset that means something to this client.
    package enum SSLMode: String, Sendable, Equatable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    package var endpoint: Endpoint
    package var user: String
    package var password: String?
    package var database: String
    package var sslMode: SSLMode

    /// Whether `text` names a PostgreSQL journal rather than a SQLite file.
    package static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// - Throws: a message naming what is wrong with `text` (the password never appears in it).
    package init(url text: String) throws(JournalError) {
        guard Self.isURL(text), let parts = URLComponents(string: text) else {
            throw JournalError("\(Self.redacted(text)) is not a PostgreSQL URL (postgres://USER[:PASS]@HOST[:PORT]/DB)")
        }
        let shown = Self.redacted(text)
        guard let user = parts.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw JournalError("\(shown): the URL names no user (postgres://USER@HOST/DB)")
        }
        let database = String(parts.percentEncodedPath.drop { $0 == "/" }).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else {
            throw JournalError("\(shown): the URL names no database (postgres://USER@HOST/DB)")
        }
        let port = parts.port ?? 5432
        guard (1...65535).contains(port) else { throw JournalError("\(shown): port \(port) is out of range") }
        var sslMode = SSLMode.prefer
        var socketDirectory: String?
        for item in parts.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(SSLMode.init(rawValue:)) else {
                    let modes = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw JournalError("\(shown): sslmode \(item.value ?? "") is not one of \(modes)")
                }
                sslMode = mode
            case "host":
                socketDirectory = item.value
            default:
                throw JournalError("\(shown): unknown parameter \(item.name) (moonwatch reads sslmode and host)")
            }
        }
        if let directory = socketDirectory, directory.hasPrefix("/") {
            endpoint = .socket(directory: directory, port: port)
        } else if let host = socketDirectory ?? parts.host, !host.isEmpty {
            endpoint = .tcp(host: host, port: port)
        } else {
            throw JournalError("\(shown): the URL names no host (postgres://USER@HOST/DB)")
        }
        self.user = user
        password = parts.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        self.database = database
        self.sslMode = sslMode
    }

    /// `postgres://user@host:port/db`: what errors and logs may show.
    package var description: String {
        switch endpoint {
        case .tcp(let host, let port): "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        case .socket(let directory, let port): "postgres://\(user)@/\(database)?host=\(directory) (port \(port))"
        }
    }

    /// "database D on H:P": the place an error happened, in words.
    package var place: String {
        switch endpoint {
        case .tcp(let host, let port): "database \(database) on \(host):\(port)"
        case .socket(let directory, let port): "database \(database) on the socket in \(directory) (port \(port))"
        }
    }

    /// The URL with any password replaced by `***`, for messages about a URL that did not parse.
    package static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@") else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }

    /// The pool's configuration; `password` when the URL holds none.
    func clientConfiguration(password fallback: String?) throws(JournalError) -> PostgresClient.Configuration {
        let password = self.password ?? fallback
        var configuration: PostgresClient.Configuration
        switch endpoint {
        case .tcp(let host, let port):
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
        case .socket(let directory, let port):
            configuration = .init(
                unixSocketPath: "\(directory)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        }
        configuration.options.connectTimeout = .seconds(10)
        // pg_stat_activity then tells which process a connection serves (and whose to cut, in the tests).
        configuration.options.additionalStartupParameters = [("application_name", "moonwatch pid \(getpid())")]
        return configuration
    }

    /// The probe's configuration: the same server, user and TLS as the pool's.
    func connectionConfiguration(password fallback: String?) throws(JournalError) -> PostgresConnection.Configuration {
        let password = self.password ?? fallback
        switch endpoint {
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS
            do {
                tls = switch sslMode {
                case .disable: .disable
                case .allow, .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration))
                case .require, .verifyCA, .verifyFull: .require(try NIOSSLContext(configuration: tlsConfiguration))
                }
            } catch {
                throw JournalError("\(description): cannot set up TLS: \(error)")
            }
            var configuration = PostgresConnection.Configuration(
                host: host, port: port, username: user, password: password, database: database, tls: tls)
            configuration.options.connectTimeout = .seconds(10)
            return configuration
        case .socket(let directory, let port):
            return .init(unixSocketPath: "\(directory)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        }
    }

    private var tls: PostgresClient.Configuration.TLS {
        switch sslMode {
        case .disable: .disable
        case .allow, .prefer: .prefer(tlsConfiguration)
        case .require, .verifyCA, .verifyFull: .require(tlsConfiguration)
        }
    }

    /// As libpq: `prefer` and `require` encrypt without checking the certificate,
    /// `verify-ca` checks the chain against the system roots, `verify-full` the host name too.
    private var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable, .allow, .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        return configuration
    }
}

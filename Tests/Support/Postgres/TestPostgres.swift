import Foundation

/// The throwaway PostgreSQL cluster `scripts/test` starts (scripts/lib/postgres.sh),
/// found through MOONWATCH_TEST_POSTGRES_URL; every test makes its own database in it.
package struct TestPostgres: Sendable {
    /// A superuser's URL, password included, to the database `postgres`.
    package let adminURL: String
    /// The folder of `psql`.
    package let bin: String

    package struct Missing: Error, CustomStringConvertible {
        package var description: String
    }

    /// The cluster, or nil when none was started (a plain `swift test`); with
    /// MOONWATCH_REQUIRE_POSTGRES=1 (scripts/test) a missing cluster is an error, never a skip.
    package static func fromEnvironment() throws -> TestPostgres? {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["MOONWATCH_TEST_POSTGRES_URL"], let bin = environment["MOONWATCH_TEST_POSTGRES_BIN"] else {
            if environment["MOONWATCH_REQUIRE_POSTGRES"] == "1" {
                throw Missing(description: "MOONWATCH_TEST_POSTGRES_URL is not set: scripts/test starts the test cluster")
            }
            return nil
        }
        return TestPostgres(adminURL: url, bin: bin)
    }

    /// A new, empty database; its URL has the admin's user and password.
    package func createDatabase() throws -> String {
        let name = "mw_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        _ = try sql("CREATE DATABASE \(name)")
        return url(database: name)
    }

    /// The admin URL with another database.
    package func url(database: String) -> String {
        adminURL.replacingOccurrences(of: "/postgres?", with: "/\(database)?")
    }

    /// Runs `statement` with psql against `database` (the admin URL by default); its output, unaligned.
    @discardableResult
    package func sql(_ statement: String, database url: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bin + "/psql")
        process.arguments = [url ?? adminURL, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", statement]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Missing(description: "psql failed on \(statement): \(problems)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

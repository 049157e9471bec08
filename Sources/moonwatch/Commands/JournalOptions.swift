import ArgumentParser
import Batch
import Foundation
import Journal
import Logging
import RunConfiguration
import Services
import Transport

/// How `report` and `status` find a batch: the journal and, when it holds several, which one.
struct JournalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The journal: a SQLite path, or postgres://USER@HOST[:PORT]/DB (default: [journal] url of the configuration).",
        valueName: "path-or-url"))
    var state: String?

    @Option(name: .long, help: "A database holding several batches: the one whose input SHA-256 starts with this.")
    var batch: String?

    @Option(name: .long, help: "A database holding several batches: the one made from this input file.")
    var input: String?

    @Option(name: .long, help: "The configuration file, for [journal] (default: ./moonwatch.toml when present).")
    var config: String?

    @Option(name: .long, help: "A profile of the configuration file ([profiles.NAME]).")
    var profile: String?

    func validate() throws {
        if batch != nil && input != nil { throw ValidationError("--batch and --input both pick the batch: give one") }
    }

    /// The configuration, for `[journal]`; the defaults when there is no file.
    /// - Throws: exit 2 with the reason on standard error.
    func configuration() throws -> MoonwatchConfiguration {
        let environment = ProcessInfo.processInfo.environment
        let path = config ?? (FileManager.default.fileExists(atPath: "moonwatch.toml") ? "moonwatch.toml" : nil)
        do throws(ServiceError) {
            if let path { return try MoonwatchConfiguration.load(contentsOf: path, profile: profile, environment: environment) }
            return try MoonwatchConfiguration.load(toml: nil, profile: profile, environment: environment)
        } catch {
            Console.error("moonwatch: \(error.message)")
            throw ExitCode(2)
        }
    }

    /// Opens the journal at the batch asked for.
    /// - Throws: exit 2 with the reason on standard error.
    func open(configuration: MoonwatchConfiguration, redactor: Redactor, logger: Logger) throws -> any JournalStore {
        do throws(JournalError) {
            guard state != nil || configuration.journal.url != nil else {
                throw JournalError("name the journal with --state PATH-OR-URL (or [journal] url in moonwatch.toml)")
            }
            let address = try JournalAddress.of(state: state, configuration: configuration, redactor: redactor)
            let prefix = try input.map { path throws(JournalError) in try InputFile(path: path).identity.sha256 } ?? batch
            return try address.openExisting(batch: prefix, logger: logger)
        } catch {
            Console.error("moonwatch: \(redactor.redact(error.message))")
            throw ExitCode(2)
        }
    }
}

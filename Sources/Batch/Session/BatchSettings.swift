import Logging
import Runtime
import Services

/// What one batch run is given: the script, the input, where its state and
/// files go, the services it calls, and how many items it works on at once.
package struct BatchSettings: Sendable {
    package var scriptPath: String
    package var inputPath: String
    /// The journal: a SQLite path (`:memory:` keeps nothing) or a shared PostgreSQL database.
    package var journal: JournalAddress
    /// How long a claimed item stays claimed without a heartbeat: what a dead
    /// worker's items wait before others take them. A shared journal's is short
    /// (60 s by default); a SQLite journal gives a dead run's items back when it
    /// is next opened, so its lease only has to outlast any item.
    package var leaseSeconds: Double = 600
    /// Where `records.jsonl`, `report.jsonl` and `report.html` go.
    package var outDirectory: String
    package var runtimeOptions: RuntimeOptions
    package var hub: ServiceHub
    package var downloader: Downloader
    /// Lua tasks per VM working on items.
    package var concurrency: Int
    /// Lua VMs, each on its own thread.
    package var workers: Int
    /// Redo the items that failed in earlier runs.
    package var retryFailed: Bool
    package var maxFailures: FailureLimit
    package var logger: Logger
    /// Applied to script errors before they are reported.
    package var redactor: Redactor
    /// The command line, redacted, for the header of `report.html`.
    package var commandLine: String

    package init(
        scriptPath: String, inputPath: String, journal: JournalAddress, outDirectory: String, runtimeOptions: RuntimeOptions,
        hub: ServiceHub, downloader: Downloader, concurrency: Int, workers: Int, retryFailed: Bool = false,
        maxFailures: FailureLimit = .count(0), logger: Logger, redactor: Redactor
    ) {
        self.scriptPath = scriptPath
        self.inputPath = inputPath
        self.journal = journal
        self.outDirectory = outDirectory
        self.runtimeOptions = runtimeOptions
        self.hub = hub
        self.downloader = downloader
        self.concurrency = concurrency
        self.workers = workers
        self.retryFailed = retryFailed
        self.maxFailures = maxFailures
        self.logger = logger
        self.redactor = redactor
        commandLine = "moonwatch batch --input \(inputPath) \(scriptPath)"
    }
}

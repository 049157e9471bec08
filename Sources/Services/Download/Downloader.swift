import AsyncHTTPClient
import Logging
import NIOCore
import Synchronization
import Transport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `http.download` (docs/contract.md §2.2): streams a URL into `dest.part` inside the out
/// directory, then fsync and rename, so a file at `dest` is always complete.
///
/// - Resumes a `.part` (from an earlier attempt, call or run) with `Range` and
///   `If-Range`, the validator kept in `.part.meta`; starts over when the
///   server ignores the range or the file changed; a body shorter than its
///   `Content-Length` is resumed, never accepted.
/// - Verifies `sha256`, `md5` and `size`: a mismatch deletes the file and
///   downloads it once more from scratch, then fails with `checksum`.
/// - Retries network errors, 5xx and 429 with backoff; at most five redirects,
///   http and https only; a run-wide cap on concurrent downloads.
/// - Memory does not grow with the file: each chunk goes to the file as it arrives.
///
/// The downloader has its own `HTTPClient` (on the shared event loops):
/// transfers need no whole-request deadline, only a read timeout; its
/// connection pool is sized to the download cap; and long transfers never hold
/// the connections the service polls use. Call ``shutdown()`` once at the end.
///
/// `public` only because Bindings' public `install` names it; its members are `package`.
public final class Downloader: Sendable {
    package let outDirectory: String
    package let options: DownloadOptions
    let client: HTTPClient
    private let slots: DownloadSlots
    let counters: RunCounters
    private let redactor: Redactor
    let logger: Logger?
    let clock: ServiceClock
    private let random: RandomSource
    /// Kept only when asked (`moonwatch run`'s report); a batch's files are in its journal.
    private let finishedFiles: Mutex<[DownloadResult]>?

    /// - Parameters:
    ///   - outDirectory: where destinations are (created when missing).
    ///   - counters: the run's counters (bytes, files, busy time).
    ///   - redactor: every message passes through it.
    ///   - logger: retries and restarts are logged here.
    ///   - listsFinished: keep every completed file for ``finished``.
    package init(
        outDirectory: String, options: DownloadOptions = DownloadOptions(), counters: RunCounters,
        redactor: Redactor = Redactor(), clock: ServiceClock = .system, random: RandomSource = .system,
        logger: Logger? = nil, listsFinished: Bool = false
    ) {
        finishedFiles = listsFinished ? Mutex([]) : nil
        self.outDirectory = outDirectory
        self.options = options
        self.counters = counters
        self.redactor = redactor
        self.clock = clock
        self.random = random
        self.logger = logger
        slots = DownloadSlots(options.maxConcurrent)
        client = .downloads(
            connectTimeout: options.connectTimeout, readTimeout: options.readTimeout,
            connectionsPerHost: options.maxConcurrent)
    }

    /// Every file this downloader completed (fetched or found complete), in
    /// order, when made with `listsFinished` (else empty): the gallery of
    /// `moonwatch run`'s report.
    package var finished: [DownloadResult] { finishedFiles?.withLock { $0 } ?? [] }

    /// Closes the pooled connections. Call once at the end of the run.
    package func shutdown() async throws {
        try await client.shutdown()
    }

    /// Downloads `request.url` to `request.destination` (see the type's notes).
    /// - Throws: `sandbox` (destination), `download` (HTTP errors, redirects,
    ///   scheme, the disk), `checksum`, `network` / `timeout` once retries are
    ///   spent, `canceled`. The `.part` is kept for every error but `checksum`.
    package func download(_ request: DownloadRequest) async throws(ServiceError) -> DownloadOutcome {
        do throws(ServiceError) {
            let target = try DownloadTarget.resolve(request.destination, in: outDirectory)
            let url = try DownloadURL(request.url)
            try await slots.acquire()
            counters.downloadStarted(now: clock.now())
            defer {
                counters.downloadEnded(now: clock.now())
                slots.release()
            }
            if !request.overwrite, let existing = existingFile(target, checks: request.checks) {
                counters.countDownloadFinished(skipped: true)
                finishedFiles?.withLock { $0.append(existing) }
                return .finished(existing)
            }
            var state = try TransferState(target: target, checks: request.checks)
            do throws(ServiceError) {
                let outcome = try await transfer(url, &state, request)
                if case .urlExpired = outcome { state.discardIfEmpty() }
                return outcome
            } catch {
                state.discardIfEmpty()
                throw error
            }
        } catch {
            counters.countError(RunMetricHandles.download, kind: error.kind)
            throw error.redacted(by: redactor)
        }
    }

    /// The complete file already at the destination, if it passes the checks;
    /// one that fails them is removed (and downloaded again).
    private func existingFile(_ target: DownloadTarget, checks: DownloadChecks) -> DownloadResult? {
        guard let digests = FileDigests.ofFile(target.file, md5: checks.md5 != nil) else { return nil }
        let problems = digests.problems(against: checks)
        guard problems.isEmpty else {
            logger?.notice("\(target.path) is there but fails its check (\(problems.joined(separator: "; "))); downloading it again")
            unlink(target.file)
            return nil
        }
        return DownloadResult(
            path: target.path, bytes: digests.count, sha256: digests.finish().sha256, resumed: false, skipped: true)
    }

    /// Attempts until the file is complete and verified, the URL expires, or an error is final.
    private func transfer(_ url: DownloadURL, _ state: inout TransferState, _ request: DownloadRequest) async throws(ServiceError)
        -> DownloadOutcome
    {
        let policy = options.retryPolicy
        // Failed attempts in a row that received nothing; progress resets it.
        var failures = 0
        var startedOverForChecksum = false
        while true {
            let step: AttemptStep
            do throws(ServiceError) {
                step = try await attempt(url, &state)
            } catch where error.retryable && error.kind != .canceled {
                failures += 1
                guard policy.shouldRetry(error, attempt: failures) else {
                    var exhausted = error
                    if failures > 1 { exhausted.message += " (gave up after \(failures) attempts)" }
                    throw exhausted
                }
                let delay = policy.delay(after: error, attempt: failures, random: random)
                counters.countRetry("download")
                logger?.notice(
                    "retrying download of \(state.target.path) in \(Int((delay * 1000).rounded())) ms: \(redactor.redact(error.description))")
                do {
                    try await clock.sleep(delay)
                } catch {
                    throw ServiceError.wrap(error, service: nil)
                }
                continue
            }
            switch step {
            case .interrupted(let error):
                failures = 0
                counters.countRetry("download")
                logger?.notice(
                    "download of \(state.target.path) interrupted at byte \(state.offset): \(redactor.redact(error.description)); resuming")
            case .expired:
                guard request.canRefresh else {
                    let kept = state.offset > 0 ? "; the \(state.offset) bytes so far are kept in \(state.target.path).part" : ""
                    throw ServiceError(
                        .download,
                        "GET \(url.shown): the signed URL has expired; pass `refresh` to renew it\(kept)",
                        status: 403, retryable: false)
                }
                return .urlExpired(receivedBytes: state.received)
            case .complete:
                try state.part.sync()
                let problems = state.digests.problems(against: request.checks)
                if problems.isEmpty { return .finished(try finish(&state)) }
                try state.restart()
                if startedOverForChecksum {
                    unlink(state.target.part)
                    throw ServiceError(
                        .checksum,
                        "\(state.target.path) from \(url.shown) fails its check twice: \(problems.joined(separator: "; "))",
                        retryable: false)
                }
                startedOverForChecksum = true
                logger?.warning(
                    "\(state.target.path) fails its check (\(problems.joined(separator: "; "))); downloading it again from scratch")
            }
        }
    }

    /// Moves the verified `.part` to its destination.
    private func finish(_ state: inout TransferState) throws(ServiceError) -> DownloadResult {
        let target = state.target
        try publish(target.part, as: target.file, folder: target.folder, shownPath: target.path)
        PartMetadata.remove(target.meta)
        counters.countDownloadFinished(skipped: false)
        let result = DownloadResult(
            path: target.path, bytes: state.offset, sha256: state.digests.finish().sha256, resumed: state.resumed,
            skipped: false)
        finishedFiles?.withLock { $0.append(result) }
        return result
    }
}

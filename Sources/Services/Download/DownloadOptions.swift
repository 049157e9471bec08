/// How the run downloads.
package struct DownloadOptions: Sendable {
    /// The default of `--max-downloads`.
    package static let defaultMaxConcurrent = 8

    /// Downloads in progress at once, run-wide; the others wait for a slot.
    package var maxConcurrent: Int
    /// Retries of failed attempts that received nothing (network errors, 5xx,
    /// 429). An attempt that received bytes before failing resumes at once with
    /// a fresh budget: a long download over a flaky link gets there.
    package var retryPolicy: RetryPolicy
    package var connectTimeout: Double
    /// Longest silence while waiting for an answer or its next bytes. There is
    /// no limit on the whole transfer: large files take as long as they take.
    package var readTimeout: Double
    /// Redirects followed per request (docs/contract.md §2.2: 5).
    package var maxRedirects: Int

    package init(
        maxConcurrent: Int = defaultMaxConcurrent, retryPolicy: RetryPolicy = .standard, connectTimeout: Double = 10,
        readTimeout: Double = 60, maxRedirects: Int = 5
    ) {
        self.maxConcurrent = max(1, maxConcurrent)
        self.retryPolicy = retryPolicy
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.maxRedirects = maxRedirects
    }
}

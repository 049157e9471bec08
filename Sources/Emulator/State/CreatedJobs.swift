import Synchronization

/// MetaStudio jobs created with `POST .../picture-modelings`. The scenario is immutable, so
/// they live here, forgotten by a reset or a scenario load like the job starts in ``JobBook``.
/// An id is derived from the seed and a creation counter that neither rewinds, so an id once
/// handed out never names another job of this instance.
final class CreatedJobs: Sendable {
    private struct Book {
        var jobs: [String: MetaStudioJob] = [:]
        var created: UInt64 = 0
    }

    private let book = Mutex(Book())
    private let seed: UInt64

    init(seed: UInt64) { self.seed = seed }

    /// Remembers the job that `make` builds for a fresh id.
    func create(_ make: (String) -> MetaStudioJob) -> MetaStudioJob {
        book.withLock { book in
            book.created += 1
            let job = make(Self.jobID(number: book.created, seed: seed))
            book.jobs[job.jobID] = job
            return job
        }
    }

    func job(_ jobID: String) -> MetaStudioJob? {
        book.withLock { $0.jobs[jobID] }
    }

    func reset() {
        book.withLock { $0.jobs.removeAll() }
    }

    /// 32 hex digits like MetaStudio's. The first 16 are a bijection of the number (the
    /// SplitMix64 finalizer is invertible), which is what keeps created ids apart.
    private static func jobID(number: UInt64, seed: UInt64) -> String {
        Hex.encode(StableHash.mix(StableHash.mix(seed) ^ number)) + Hex.encode(StableHash.of("created", String(number), seed: seed))
    }
}

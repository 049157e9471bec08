import Synchronization

/// When each job was first asked about, and how often it was queried. A job's timeline
/// starts at its first query, so a batch of ids polled over an hour each runs its own course;
/// a job created by a request starts at its creation.
final class JobBook: Sendable {
    /// A job's start and the queries it has answered (see ``TimelineStep/polls``).
    struct Progress: Sendable {
        var start: Double
        var queries: Int
    }

    enum Service: Hashable, Sendable {
        case tryOn, metaStudio, faceEdge
    }

    private struct Key: Hashable {
        let service: Service
        let id: String
    }

    private let started = Mutex<[Key: Progress]>([:])

    /// Counts one query of the job, recording `now` as its start on the first.
    func query(of service: Service, id: String, now: Double) -> Progress {
        started.withLock { table in
            let key = Key(service: service, id: id)
            var progress = table[key] ?? Progress(start: now, queries: 0)
            progress.queries += 1
            table[key] = progress
            return progress
        }
    }

    /// Starts a job's timeline at `now`, before any query (a job just created).
    func start(of service: Service, id: String, now: Double) {
        started.withLock { $0[Key(service: service, id: id)] = Progress(start: now, queries: 0) }
    }

    /// The job's progress without counting a query (a file lookup); starts it if unknown.
    func progress(of service: Service, id: String, now: Double) -> Progress {
        started.withLock { table in
            let key = Key(service: service, id: id)
            if let progress = table[key] { return progress }
            let progress = Progress(start: now, queries: 0)
            table[key] = progress
            return progress
        }
    }

    func reset() {
        started.withLock { $0.removeAll() }
    }
}

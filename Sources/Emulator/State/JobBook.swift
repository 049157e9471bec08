import Synchronization

/// When each job was first asked about. A job's timeline starts at its first query, so a
/// batch of ids polled over an hour each runs its own course.
final class JobBook: Sendable {
    enum Service: Hashable, Sendable {
        case tryOn, metaStudio, faceEdge
    }

    private struct Key: Hashable {
        let service: Service
        let id: String
    }

    private let started = Mutex<[Key: Double]>([:])

    /// The job's start time, recording `now` on the first call.
    func start(of service: Service, id: String, now: Double) -> Double {
        started.withLock { table in
            let key = Key(service: service, id: id)
            if let time = table[key] { return time }
            table[key] = now
            return now
        }
    }

    func reset() {
        started.withLock { $0.removeAll() }
    }
}

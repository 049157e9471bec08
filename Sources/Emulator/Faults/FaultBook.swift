import Synchronization

/// The installed fault rules and how often each has matched and fired.
final class FaultBook: Sendable {
    private struct Installed {
        let rule: FaultRule
        let routes: Set<EmulatorRoute>
        /// Install order, part of the probability draw so that two equal rules differ.
        let serial: UInt64
        var seen = 0
        var fired = 0
    }

    private struct Book {
        var rules: [Installed] = []
        var nextSerial: UInt64 = 0
    }

    private let book = Mutex(Book())
    /// Lets requests skip the lock when no rule is installed (the benchmark's case).
    private let count = Atomic<Int>(0)
    private let seed: UInt64

    init(seed: UInt64) { self.seed = seed }

    /// Validates and appends rules; nothing is installed if one of them is invalid.
    func install(_ rules: [FaultRule]) throws {
        let checked = try rules.map { ($0, Set(try $0.validatedRoutes())) }
        book.withLock { book in
            for (rule, routes) in checked {
                book.rules.append(Installed(rule: rule, routes: routes, serial: book.nextSerial))
                book.nextSerial += 1
            }
            count.store(book.rules.count, ordering: .relaxed)
        }
    }

    func clear() {
        book.withLock { book in
            book.rules.removeAll()
            count.store(0, ordering: .relaxed)
        }
    }

    /// The installed rules with how often each matched and fired.
    func snapshot() -> [(rule: FaultRule, seen: Int, fired: Int)] {
        book.withLock { $0.rules.map { ($0.rule, $0.seen, $0.fired) } }
    }

    /// Draws the faults for one request on `route`.
    func plan(for route: EmulatorRoute) -> FaultPlan {
        guard count.load(ordering: .relaxed) > 0 else { return .none }
        return book.withLock { book in
            var plan = FaultPlan()
            for index in book.rules.indices where book.rules[index].routes.contains(route) {
                book.rules[index].seen += 1
                let entry = book.rules[index]
                if let limit = entry.rule.limit, entry.fired >= limit { continue }
                guard fires(entry) else { continue }
                book.rules[index].fired += 1
                plan.add(entry.rule)
            }
            return plan
        }
    }

    private func fires(_ entry: Installed) -> Bool {
        if let requests = entry.rule.requests {
            return requests.contains(entry.seen)
        }
        if let probability = entry.rule.probability {
            let draw = StableHash.mix(seed ^ StableHash.mix(entry.serial) ^ UInt64(entry.seen))
            return Double(draw >> 11) / Double(1 << 53) < probability
        }
        return true
    }
}

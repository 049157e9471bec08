/// Timers of the scheduler: a binary min-heap on deadline, first-come first-served on ties.
///
/// Entries are small values, not closures, so 100,000 sleeping tasks cost a few
/// megabytes. A timer is never removed early: a task that stops waiting bumps its
/// generation, and the stale entry is dropped when it comes due.
struct TimerHeap {
    struct Entry {
        var deadline: UInt64
        var sequence: UInt64
        var taskID: Int
        var generation: UInt64

        func precedes(_ other: Entry) -> Bool {
            deadline != other.deadline ? deadline < other.deadline : sequence < other.sequence
        }
    }

    private var entries: [Entry] = []
    private var sequence: UInt64 = 0

    var isEmpty: Bool { entries.isEmpty }
    var nextDeadline: UInt64? { entries.first?.deadline }

    mutating func schedule(at deadline: UInt64, taskID: Int, generation: UInt64) {
        sequence += 1
        entries.append(Entry(deadline: deadline, sequence: sequence, taskID: taskID, generation: generation))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].precedes(entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    mutating func popDue(now: UInt64) -> Entry? {
        guard let first = entries.first, first.deadline <= now else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < entries.count && entries[left].precedes(entries[smallest]) { smallest = left }
                if right < entries.count && entries[right].precedes(entries[smallest]) { smallest = right }
                if smallest == parent { break }
                entries.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }
}

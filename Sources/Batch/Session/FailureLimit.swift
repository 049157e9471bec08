/// `--max-failures N|P%`: how many failed items a batch tolerates before it
/// exits with 1. Without the option, none.
package enum FailureLimit: Equatable, Sendable, CustomStringConvertible {
    case count(Int)
    case percent(Double)

    /// Parses `N` (a count, 0 or more) or `P%` (a share, 0 to 100).
    package init?(argument: String) {
        if argument.hasSuffix("%") {
            guard let value = Double(argument.dropLast()), value >= 0, value <= 100 else { return nil }
            self = .percent(value)
        } else {
            guard let value = Int(argument), value >= 0 else { return nil }
            self = .count(value)
        }
    }

    /// Whether `failed` of `total` items is past the limit.
    package func isExceeded(failed: Int, total: Int) -> Bool {
        switch self {
        case .count(let limit): return failed > limit
        case .percent(let limit): return total > 0 && Double(failed) * 100 > limit * Double(total)
        }
    }

    package var description: String {
        switch self {
        case .count(let limit): return "\(limit)"
        case .percent(let limit): return "\(limit.formatted())%"
        }
    }
}

private extension Double {
    func formatted() -> String { rounded() == self ? String(Int(self)) : String(self) }
}

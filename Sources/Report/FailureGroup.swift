import Journal

/// Failed items that failed the same way: the same error kind and the same
/// service code, or, for errors without a code, the same message once the
/// script location is taken off (docs/report.md §2).
package struct FailureGroup: Sendable, Equatable {
    /// The error table's kind; `error` for a plain error, `bad_row` for a row
    /// that could not be read.
    package var kind: String
    /// The service's code, when the errors had one.
    package var code: String?
    /// The code, or the shared message.
    package var label: String
    package var items: [FailedItem]

    /// One failed item of a group.
    package struct FailedItem: Sendable, Equatable {
        package var line: Int
        /// The row's `id` (or `job_id`, `task_id`, `inf_id`); nil when it has none.
        package var id: String?
        package var message: String
    }

    /// `failed MSS.00010002` or `failed: No face was detected`.
    package var title: String { code != nil ? "\(kind) \(label)" : "\(kind): \(label)" }

    /// Groups the failed items of `items`, the largest group first (ties in
    /// the order their first item appears).
    package static func grouping(_ items: [ItemReport]) -> [FailureGroup] {
        var groups: [FailureGroup] = []
        var index: [String: Int] = [:]
        for item in items where item.status == .failed {
            let error = item.error ?? ItemError("failed without a message")
            let kind = error.kind ?? (item.attempts == 0 ? "bad_row" : "error")
            let label = error.code ?? Self.shared(error.message)
            let key = kind + "\u{0}" + (error.code == nil ? "m" : "c") + label
            let failed = FailedItem(line: item.line, id: ItemIdentifier.of(row: item.row), message: error.message)
            if let position = index[key] {
                groups[position].items.append(failed)
            } else {
                index[key] = groups.count
                groups.append(FailureGroup(kind: kind, code: error.code, label: label, items: [failed]))
            }
        }
        return groups.enumerated()
            .sorted { $0.element.items.count != $1.element.items.count ? $0.element.items.count > $1.element.items.count : $0.offset < $1.offset }
            .map(\.element)
    }

    /// The part of a message items can share: without the `file.lua:12: ` where
    /// it was raised and the ` [kind, service=...]` that `tostring` appends.
    static func shared(_ message: String) -> String {
        var text = Substring(message)
        if let bracket = text.lastIndex(of: "["), text.hasSuffix("]"), bracket > text.startIndex {
            text = text[..<bracket]
        }
        // `name.lua:LINE: ` at the start, possibly more than once (an error rethrown with a location).
        while let colon = text.firstIndex(of: ":"), text[..<colon].hasSuffix(".lua") {
            let rest = text[text.index(after: colon)...]
            let digits = rest.prefix { $0.isNumber }
            guard !digits.isEmpty, rest.dropFirst(digits.count).hasPrefix(": ") else { break }
            text = rest.dropFirst(digits.count + 2)
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? message : trimmed
    }
}

import Lua

/// What a Lua table holds, whichever way a ``LuaTable`` splits it between its
/// array and its fields: the two copies of one table may split it differently
/// (a table with a hole reads back as fields only, and the length of a table
/// without one may be any of its borders).
typealias LuaContents = [LuaKey: LuaValue]

extension LuaTable {
    /// What pushing this table sets: array elements at 1...n, then the fields
    /// (a field at an array index replaces the element); nils set nothing and
    /// NaN keys are skipped.
    var pushedContents: LuaContents {
        var contents: LuaContents = [:]
        for (offset, element) in array.enumerated() { contents[.integer(Int64(offset + 1))] = element }
        for (key, element) in fields {
            if case .number(let number) = key, number.isNaN { continue }
            contents[key] = element
        }
        return contents.filter { $0.value != .nil }
    }
}

extension LuaValue {
    /// How many tables deep the value nests once pushed (0 for a non-table).
    var pushedNesting: Int {
        guard case .table(let table) = self else { return 0 }
        return 1 + (table.pushedContents.values.map(\.pushedNesting).max() ?? 0)
    }

    /// Whether `copy`, read back after pushing this value, holds the same:
    /// numbers bit for bit (so -0.0 stays apart from 0.0) except that any NaN
    /// matches any NaN, and tables by their contents.
    func isPushed(as copy: LuaValue) -> Bool {
        switch (self, copy) {
        case (.number(let pushed), .number(let read)):
            return pushed.isNaN ? read.isNaN : pushed.bitPattern == read.bitPattern
        case (.table(let pushed), .table(let read)):
            let expected = pushed.pushedContents
            let found = read.pushedContents
            guard expected.count == found.count else { return false }
            return expected.allSatisfy { key, value in found[key].map { value.isPushed(as: $0) } ?? false }
        default:
            return self == copy
        }
    }
}

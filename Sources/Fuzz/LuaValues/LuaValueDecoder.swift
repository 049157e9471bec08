import Lua

/// Reads fuzz bytes as a tree of ``LuaValue``s: every kind a push can take apart
/// from references, including nils in arrays and as field values, strings with
/// zero bytes and invalid UTF-8, floats from raw bit patterns (NaN, -0, infinities,
/// subnormals), NaN keys, array indices given again as fields, and chains of
/// nested tables around the copy's depth limit. Running out of bytes ends the
/// tree early, so every input decodes.
///
/// Float keys with an integral value are left out: Lua turns them into integer
/// keys, so one could collide with an integer key in the same table and which of
/// the two a push sets last would depend on dictionary order.
struct LuaValueDecoder {
    /// Deeper than ``LuaStack/maximumDepth`` so that both sides of the limit are
    /// reached, but bounded: a push recurses once per level.
    static let maximumNesting = LuaStack.maximumDepth + 50

    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private mutating func byte() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    /// Eight bytes, little-endian; missing bytes are zeros.
    private mutating func word() -> UInt64 {
        var word: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 8) { word |= UInt64(byte() ?? 0) << UInt64(shift) }
        return word
    }

    private mutating func string() -> [UInt8] {
        let count = Int(byte() ?? 0) % 32
        var string: [UInt8] = []
        for _ in 0..<count {
            guard let next = byte() else { break }
            string.append(next)
        }
        return string
    }

    /// The next value; `nesting` counts the tables around it.
    mutating func value(nesting: Int = 0) -> LuaValue {
        guard let tag = byte() else { return .nil }
        switch tag % 8 {
        case 0: return .nil
        case 1: return .boolean(tag & 0x80 != 0)
        case 2: return .integer(Int64(bitPattern: word()))
        case 3: return .number(Double(bitPattern: word()))
        case 4: return .string(string())
        case 5, 6: return nesting < Self.maximumNesting ? .table(table(nesting: nesting + 1)) : .nil
        default:
            // A chain of one-element tables, up to 255 deep, around one value.
            let levels = min(Int(byte() ?? 0), Self.maximumNesting - nesting)
            var value = self.value(nesting: nesting + levels)
            for _ in 0..<levels { value = .table(LuaTable(array: [value])) }
            return value
        }
    }

    private mutating func table(nesting: Int) -> LuaTable {
        var table = LuaTable()
        let shape = byte() ?? 0
        for _ in 0..<(shape & 0x0F) { table.array.append(value(nesting: nesting)) }
        for _ in 0..<(shape >> 4) {
            guard let key = key() else { continue }
            table.fields[key] = value(nesting: nesting)
        }
        return table
    }

    private mutating func key() -> LuaKey? {
        guard let tag = byte() else { return nil }
        switch tag % 4 {
        case 0: return .integer(Int64(Int8(bitPattern: byte() ?? 0)))  // near the array part
        case 1: return .boolean(tag & 0x80 != 0)
        case 2:
            let number = Double(bitPattern: word())
            return number.rounded() == number ? nil : .number(number)
        default: return .string(string())
        }
    }
}

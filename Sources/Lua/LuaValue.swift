/// A Lua value copied into Swift.
///
/// Strings are bytes, as in Lua: they may hold zero bytes and need not be UTF-8.
/// Integers and floats stay apart (`1` and `1.0` are different values here, as
/// `math.type` tells them apart in Lua). Functions, userdata and coroutines are
/// not copied: they travel as ``LuaRef`` handles into the VM's registry.
public enum LuaValue: Hashable, Sendable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string([UInt8])
    case table(LuaTable)
    case function(LuaRef)
    case userdata(LuaRef)
    case thread(LuaRef)

    /// A string value from Swift text (UTF-8).
    public static func string(_ text: String) -> LuaValue { .string(Array(text.utf8)) }

    /// The text of a string value, decoding invalid UTF-8 with replacement characters.
    public var stringValue: String? {
        if case .string(let bytes) = self { return String(decoding: bytes, as: UTF8.self) }
        return nil
    }

    /// The value as a Lua table, if it is one.
    public var tableValue: LuaTable? {
        if case .table(let table) = self { return table }
        return nil
    }

    /// A number as a Double, whether Lua holds it as an integer or a float.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    /// `false` and `nil` are false; everything else is true, as in Lua.
    public var isTruthy: Bool {
        switch self {
        case .nil, .boolean(false): return false
        default: return true
        }
    }
}

/// A Lua table copied into Swift: the sequence `t[1] ... t[n]` and every other key.
public struct LuaTable: Hashable, Sendable {
    /// Values at keys 1...n, with no holes.
    public var array: [LuaValue]
    /// Every other key. Keys that are tables or functions are not representable.
    public var fields: [LuaKey: LuaValue]

    public init(array: [LuaValue] = [], fields: [LuaKey: LuaValue] = [:]) {
        self.array = array
        self.fields = fields
    }

    /// The value at a string key, `nil` when absent.
    public subscript(key: String) -> LuaValue {
        get { fields[.string(key)] ?? .nil }
        set { fields[.string(key)] = newValue == .nil ? nil : newValue }
    }
}

/// A key of a ``LuaTable``. Floats with an integral value are integers, as Lua normalizes them.
public enum LuaKey: Hashable, Sendable {
    case integer(Int64)
    case number(Double)
    case string([UInt8])
    case boolean(Bool)

    /// A string key from Swift text.
    public static func string(_ text: String) -> LuaKey { .string(Array(text.utf8)) }

    var value: LuaValue {
        switch self {
        case .integer(let value): return .integer(value)
        case .number(let value): return .number(value)
        case .string(let value): return .string(value)
        case .boolean(let value): return .boolean(value)
        }
    }
}

extension LuaValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .nil }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: LuaValue...) { self = .table(LuaTable(array: elements)) }
    public init(dictionaryLiteral elements: (String, LuaValue)...) {
        var table = LuaTable()
        for (key, value) in elements { table[key] = value }
        self = .table(table)
    }
}

import Lua

/// The Lua value conversions' property: a value decoded from the fuzz bytes and
/// pushed reads back (``LuaStack/value(at:)``) as the same value, leaving the
/// stack as it was; a table nested deeper than ``LuaStack/maximumDepth``, or one
/// made to contain itself, is refused with an invalid-argument error instead.
///
/// The first byte chooses whether the pushed table gets a field pointing back to
/// itself; the rest is the value (see ``LuaValueDecoder``).
package enum LuaRoundTrip {
    package static func check(_ bytes: [UInt8]) {
        guard let mode = bytes.first else { return }
        var decoder = LuaValueDecoder(Array(bytes.dropFirst()))
        let value = decoder.value()
        let state = LuaState()
        let stack = state.stack
        let makesCycle = mode & 1 != 0 && value.tableValue != nil
        do {
            try stack.push(value)
            if makesCycle { try stack.setRawField("self", ofTableAt: -1, toCopyOf: -1) }
        } catch {
            fatalError("LuaStack: \(describe(value)) could not be pushed: \(error)")
        }
        let top = stack.top
        let copy: LuaValue
        do {
            copy = try stack.value(at: -1)
        } catch {
            guard error.kind == .invalidArgument, makesCycle || value.pushedNesting > LuaStack.maximumDepth else {
                fatalError("LuaStack: \(describe(value)) was refused: \(error)")
            }
            checkTop(stack, top)
            return
        }
        checkTop(stack, top)
        guard !makesCycle else { fatalError("LuaStack: a table that contains itself was copied") }
        guard value.pushedNesting <= LuaStack.maximumDepth else {
            fatalError("LuaStack: a table \(value.pushedNesting) levels deep was copied, past the limit of \(LuaStack.maximumDepth)")
        }
        guard value.isPushed(as: copy) else {
            fatalError("LuaStack: \(describe(value)) read back as \(describe(copy))")
        }
    }

    private static func checkTop(_ stack: LuaStack, _ top: Int32) {
        guard stack.top == top else { fatalError("LuaStack: value(at:) left the stack at \(stack.top), not \(top)") }
    }

    /// Short enough to read in a crash report.
    private static func describe(_ value: LuaValue) -> String {
        String(String(describing: value).prefix(2000))
    }
}

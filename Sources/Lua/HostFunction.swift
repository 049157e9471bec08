import CLua
import CLuaShim

/// A Swift function bound into Lua.
///
/// It runs inside the C trampoline `mw_trampoline` and tells it what to do next
/// through its ``HostResult``; a thrown ``ScriptError`` is pushed as an error
/// table and raised by the trampoline, after this function's frame is gone.
public final class HostFunction {
    public typealias Body = (LuaCall) throws(ScriptError) -> HostResult

    let name: String
    let body: Body
    /// What the trampoline's upvalue points at: the VM and this function.
    let binding: UnsafeMutablePointer<mw_binding>

    init(name: String, body: @escaping Body, vm: UnsafeMutablePointer<mw_vm>) {
        self.name = name
        self.body = body
        binding = .allocate(capacity: 1)
        binding.initialize(to: mw_binding(vm: vm, function: nil))
        binding.pointee.function = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit { binding.deallocate() }
}

/// What a host function asks its trampoline to do.
public struct HostResult: Sendable {
    let code: Int32

    /// Return the top `count` values of the stack.
    public static func results(_ count: Int32) -> HostResult { HostResult(code: count) }
    /// Return nothing.
    public static let none = HostResult(code: 0)
    /// Raise the value on top of the stack as the error, unchanged.
    public static let raise = HostResult(code: MW_RAISE)
    /// Suspend the calling coroutine: an operation is pending and the scheduler
    /// will resume the coroutine with `(true, results...)` or `(false, error)`.
    public static let suspend = HostResult(code: MW_YIELD)
}

/// Called by `mw_trampoline` for every host function call.
let dispatchHostFunction: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Int32 = { L, pointer in
    // The LuaState keeps every HostFunction alive for the VM's lifetime, so the
    // call borrows it without retain/release: this is the hot path of every binding.
    Unmanaged<HostFunction>.fromOpaque(pointer!)._withUnsafeGuaranteedRef { function in
        do throws(ScriptError) {
            return try function.body(LuaCall(L: L!, function: function)).code
        } catch {
            return pushForRaising(error, L!)
        }
    }
}

/// Pushes a host function's error for the trampoline to raise; kept out of
/// line so that the call path of every binding stays small.
@inline(never)
private func pushForRaising(_ error: ScriptError, _ L: OpaquePointer) -> Int32 {
    // Whatever the function left goes: the error needs at most a few of the
    // LUA_MINSTACK slots every C function starts with.
    lua_settop(L, 0)
    do throws(ScriptError) {
        try LuaStack(L: L, state: LuaState.owning(L)).push(error)
    } catch _ {
        // Its extra fields did not fit: the kind and the message always do.
        lua_settop(L, 0)
        mw_pusherror(L, error.kind.rawValue, error.message)
    }
    return MW_RAISE
}

import CLua
import CLuaShim

/// Limits on what scripts may use.
public struct LuaLimits: Sendable {
    /// Bytes scripts may allocate; `nil` for no cap.
    public var memory: Int?
    /// Instructions a coroutine may run between two yields; `nil` for no budget.
    public var instructions: Int?

    public init(memory: Int? = nil, instructions: Int? = nil) {
        self.memory = memory
        self.instructions = instructions
    }
}

/// One Lua VM and the Swift functions bound into it.
///
/// A `LuaState` is confined to the thread that uses it (docs/lua-boundary.md rule 3): it
/// is `@unchecked Sendable` only so that its owner can hand it to that thread.
/// Every method that touches the VM must be called there.
///
/// The boundary rules hold by construction: Swift host functions never raise
/// or yield themselves, they return a ``HostResult`` that the C trampoline acts
/// on; the only Lua API functions called from Swift are ones that cannot raise,
/// or can raise only on a refused allocation, which the allocator never refuses
/// while host code runs.
public final class LuaState: @unchecked Sendable {
    /// The main thread of the VM.
    public let L: OpaquePointer
    let vm: UnsafeMutablePointer<mw_vm>
    let releases = ReleaseQueue()
    private var functions: [HostFunction] = []

    /// Receives Lua warnings (`warn(...)` and errors in `__gc` finalizers).
    public var onWarning: ((String) -> Void)?

    public init(limits: LuaLimits = LuaLimits()) {
        vm = .allocate(capacity: 1)
        vm.initialize(to: mw_vm())
        vm.pointee.limit = limits.memory.map { $0 > 0 ? $0 : 0 } ?? 0
        vm.pointee.budget = limits.instructions.map(Int64.init) ?? 0
        vm.pointee.dispatch = dispatchHostFunction
        vm.pointee.warn = { host, message in
            guard let host, let message else { return }
            let state = Unmanaged<LuaState>.fromOpaque(host).takeUnretainedValue()
            state.onWarning?(String(cString: message))
        }
        guard let L = mw_newstate(vm) else { fatalError("moonwatch: cannot allocate a Lua state") }
        self.L = L
        vm.pointee.host = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        lua_close(L)
        vm.deallocate()
    }

    /// Opens the sandboxed standard library, `json` and the error metatable.
    public func openSandbox() throws(ScriptError) {
        if mw_opensandbox(L) != LUA_OK {
            throw ScriptError(.sandbox, "cannot open the Lua libraries: \(stack.popString())")
        }
    }

    /// Bytes the VM holds now.
    public var memoryInUse: Int { vm.pointee.used }
    /// The most bytes the VM ever held.
    public var peakMemory: Int { vm.pointee.peak }

    /// The instruction budget ran out in the task being resumed (see `mw_resume`).
    public var isAborting: Bool { vm.pointee.aborting != 0 }

    /// The memory cap as people read it, e.g. "512 MiB".
    public var memoryLimitDescription: String {
        let limit = vm.pointee.limit
        return limit % (1 << 20) == 0 ? "\(limit >> 20) MiB" : "\(limit) bytes"
    }

    /// The state that owns a thread of this VM.
    public static func owning(_ L: OpaquePointer) -> LuaState {
        Unmanaged<LuaState>.fromOpaque(mw_getvm(L).pointee.host).takeUnretainedValue()
    }

    // MARK: Stack

    /// The main thread's stack.
    public var stack: LuaStack { LuaStack(L: L, state: self) }

    /// The stack of another thread (coroutine) of this VM.
    public func stack(_ thread: OpaquePointer) -> LuaStack { LuaStack(L: thread, state: self) }

    // MARK: Host functions

    /// Pushes a Swift function as a Lua function named `name` (used in argument errors).
    public func pushFunction(_ name: String, _ body: @escaping HostFunction.Body) {
        let function = HostFunction(name: name, body: body, vm: vm)
        functions.append(function)
        mw_pushhostfunction(L, function.binding)
    }

    /// Sets a global without running metamethods.
    public func setGlobal(_ name: String, _ pushValue: () -> Void) {
        lua_rawgeti(L, MW_REGISTRYINDEX, lua_Integer(LUA_RIDX_GLOBALS))
        stack.push(.string(name))
        pushValue()
        lua_rawset(L, -3)
        stack.pop()
    }

    /// Sets the field `name` of the table on top of the stack without running metamethods.
    public func setField(_ name: String, _ pushValue: () -> Void) {
        stack.push(.string(name))
        pushValue()
        lua_rawset(L, -3)
    }

    /// Creates a global table of Swift functions, named `table.function` in errors.
    public func register(_ table: String, _ functions: [(String, HostFunction.Body)]) {
        setGlobal(table) {
            lua_createtable(L, 0, Int32(functions.count))
            for (name, body) in functions {
                setField(name) { pushFunction("\(table).\(name)", body) }
            }
        }
    }

    // MARK: Registry

    /// Frees registry slots of references released since the last call.
    public func releaseDeadReferences() { releases.drain(L) }

    // MARK: Loading and calling

    /// Compiles text (never binary chunks) and pushes the function.
    /// - Parameter chunkName: as Lua expects, e.g. `@path/to/script.lua`.
    public func load(_ code: [UInt8], chunkName: String) throws(ScriptError) {
        let status = code.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                luaL_loadbufferx(L, $0.baseAddress, $0.count, chunkName, "t")
            }
        }
        if status != LUA_OK {
            throw ScriptError(.invalidArgument, stack.popString())
        }
    }

    /// Calls the function below `arguments` on top of the main stack, in protected mode.
    public func call(_ arguments: [LuaValue] = [], results: Int32 = LUA_MULTRET) throws(LuaCallFailure) -> [LuaValue] {
        try stack.call(arguments, results: results)
    }

    /// Calls the function below the top `argumentCount` values of the main stack, in protected mode.
    public func call(argumentsOnStack argumentCount: Int32, results: Int32 = LUA_MULTRET) throws(LuaCallFailure) -> [LuaValue] {
        try stack.call(argumentsOnStack: argumentCount, results: results)
    }
}

/// A Lua error caught by ``LuaState/call(_:results:)``.
public struct LuaCallFailure: Error, CustomStringConvertible {
    /// The error as `tostring` renders it.
    public var message: String
    /// The error value itself (an error table for host errors).
    public var value: LuaValue
    public var description: String { message }
}

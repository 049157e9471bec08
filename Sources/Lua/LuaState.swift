import CLua
import CLuaShim

#if canImport(Glibc)
import Glibc
#endif

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
/// A `LuaState` is confined to the thread that created it (docs/lua-boundary.md
/// rule 3): it is `@unchecked Sendable` only so that its owner can be handed
/// around; debug builds check, on every entry point, that the VM is touched
/// from that thread only.
///
/// The boundary rules hold by construction: Swift host functions never raise
/// or yield themselves, they return a ``HostResult`` that the C trampoline acts
/// on; the C API functions called from Swift (listed in `CAPI.swift`) are ones
/// that cannot raise, or can raise only on a refused allocation, which the
/// allocator never refuses while host code runs.
public final class LuaState: @unchecked Sendable {
    /// The main thread of the VM.
    let L: OpaquePointer
    let vm: UnsafeMutablePointer<mw_vm>
    let releases = ReleaseQueue()
    private var functions: [HostFunction] = []
    private let owner = pthread_self()

    /// Receives Lua warnings (`warn(...)`).
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
        assertConfined()
        lua_close(L)
        // lua_close ran every finalizer: the objects they queued go now.
        releaseCollectedObjects()
        mw_freevm(vm)
        vm.deallocate()
    }

    /// Stops a debug build when the VM is touched from a thread other than its
    /// owner's, as swift-nio's `preconditionInEventLoop` does for event loops.
    @inline(__always)
    func assertConfined(file: StaticString = #fileID, line: UInt = #line) {
        assert(pthread_equal(owner, pthread_self()) != 0, "a Lua VM was touched from a thread that does not own it", file: file, line: line)
    }

    /// Opens the sandboxed standard library, `json` and the error metatable.
    public func openSandbox() throws(ScriptError) {
        assertConfined()
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
    static func owning(_ L: OpaquePointer) -> LuaState {
        Unmanaged<LuaState>.fromOpaque(mw_getvm(L).pointee.host).takeUnretainedValue()
    }

    // MARK: Stack

    /// The main thread's stack.
    public var stack: LuaStack { LuaStack(L: L, state: self) }

    // MARK: Host functions

    /// Keeps a Swift function alive for the VM's lifetime and returns its binding.
    func bind(_ name: String, _ body: @escaping HostFunction.Body) -> UnsafeMutablePointer<mw_binding> {
        let function = HostFunction(name: name, body: body, vm: vm)
        functions.append(function)
        return function.binding
    }

    /// Sets a global without running metamethods.
    public func setGlobal(_ name: String, _ value: LuaValue) throws(ScriptError) {
        assertConfined()
        let stack = self.stack
        try stack.requireStack(3)
        lua_rawgeti(L, MW_REGISTRYINDEX, lua_Integer(LUA_RIDX_GLOBALS))
        try stack.push(.string(name))
        try stack.push(value)
        lua_rawset(L, -3)
        stack.pop()
    }

    /// Creates the global table `module.name` holding the module's functions.
    public func install(_ module: LuaModule) throws(ScriptError) {
        assertConfined()
        let stack = self.stack
        try stack.requireStack(3)
        lua_rawgeti(L, MW_REGISTRYINDEX, lua_Integer(LUA_RIDX_GLOBALS))
        try stack.push(.string(module.name))
        try stack.push(module, namedAs: module.name)
        lua_rawset(L, -3)
        stack.pop()
    }

    /// Installs a library written in C as the global `name` (benchmarks compare
    /// bound Swift functions with plain C ones this way). `open` pushes one value.
    public func installCLibrary(_ name: String, open: @convention(c) (OpaquePointer?) -> Int32) throws(ScriptError) {
        assertConfined()
        luaL_requiref(L, name, open, 1)
        stack.pop()
    }

    // MARK: Registry

    /// Frees registry slots of references released since the last call, and
    /// releases the host objects whose userdata the collector freed.
    public func releaseDeadReferences() {
        assertConfined()
        releases.drain(L)
        releaseCollectedObjects()
    }

    private func releaseCollectedObjects() {
        while let object = mw_popreleased(vm) { Unmanaged<AnyObject>.fromOpaque(object).release() }
    }

    // MARK: Loading and calling

    /// Compiles text (never binary chunks) and pushes the function.
    /// - Parameter chunkName: as Lua expects, e.g. `@path/to/script.lua`.
    public func load(_ code: [UInt8], chunkName: String) throws(ScriptError) {
        assertConfined()
        try stack.requireStack(1)
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

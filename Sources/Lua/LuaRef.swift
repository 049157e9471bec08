import CLua
import CLuaShim
import Synchronization

/// A value kept alive in a VM's registry: how functions, userdata and
/// coroutines travel through Swift.
///
/// Releasing the last Swift reference may happen on any thread, but only the
/// VM's own thread may touch the VM, so the registry slot is handed to the
/// state's ``ReleaseQueue`` and freed there at the next safe point.
public final class LuaRef: Hashable, @unchecked Sendable {
    /// The registry index (`luaL_ref`).
    public let index: Int32
    let releases: ReleaseQueue

    init(index: Int32, releases: ReleaseQueue) {
        self.index = index
        self.releases = releases
    }

    deinit { releases.release(index) }

    public static func == (lhs: LuaRef, rhs: LuaRef) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// Registry slots whose ``LuaRef`` died, waiting to be freed on the VM's thread.
final class ReleaseQueue: Sendable {
    private let pending = Mutex<[Int32]>([])

    func release(_ index: Int32) {
        pending.withLock { $0.append(index) }
    }

    /// Frees the released slots; called on the VM's thread only.
    func drain(_ L: OpaquePointer) {
        let indices = pending.withLock { queue -> [Int32] in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
        for index in indices { luaL_unref(L, MW_REGISTRYINDEX, index) }
    }
}

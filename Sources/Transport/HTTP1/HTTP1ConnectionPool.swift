import NIOCore
import NIOSSL
import Synchronization

/// The connections to one origin: idle ones are reused, newest first; at most
/// `limit` are open at once, and requests beyond that wait in arrival order
/// for the next connection released or for a free slot to connect with.
final class HTTP1ConnectionPool: Sendable {
    /// What a waiting request is given.
    private enum Grant: Sendable {
        case connection(HTTP1Connection)
        /// A slot is free: open a new connection.
        case connect
    }

    private struct Waiter {
        var id: UInt64
        var deadline: NIODeadline
        var continuation: CheckedContinuation<Grant, any Error>
    }

    /// How often waiting requests are checked against their deadlines: one
    /// timer per pool while any request waits, not one per request.
    private static let sweepInterval = TimeAmount.milliseconds(100)

    private struct State {
        var idle: [HTTP1Connection] = []
        /// Open or opening connections.
        var open = 0
        var waiters = CircularBuffer<Waiter>()
        var nextWaiterID: UInt64 = 0
        /// Whether a deadline sweep is scheduled.
        var sweeping = false
        var shutDown = false
    }

    private let origin: HTTP1Origin
    private let group: any EventLoopGroup
    private let limit: Int
    private let connectTimeout: TimeAmount
    private let tls: NIOSSLContext?
    private let state = Mutex(State())

    init(origin: HTTP1Origin, group: any EventLoopGroup, limit: Int, connectTimeout: TimeAmount, tls: NIOSSLContext?) {
        self.origin = origin
        self.group = group
        self.limit = max(1, limit)
        self.connectTimeout = connectTimeout
        self.tls = tls
    }

    /// A connection for one exchange: an idle one, a new one, or the next one
    /// released; waiting ends with `deadlineExceeded` at `deadline`.
    func checkout(deadline: NIODeadline) async throws -> HTTP1Connection {
        enum Decision { case use(HTTP1Connection), connect, wait, shutDown }
        let decision = state.withLock { state -> Decision in
            if state.shutDown { return .shutDown }
            while let connection = state.idle.popLast() {
                if connection.isActive { return .use(connection) }
            }
            if state.open < limit {
                state.open += 1
                return .connect
            }
            return .wait
        }
        switch decision {
        case .use(let connection): return connection
        case .connect: return try await openConnection(deadline: deadline)
        case .shutDown: throw HTTP1ExchangeError.shutDown
        case .wait:
            switch try await waitForGrant(deadline: deadline) {
            case .connection(let connection): return connection
            case .connect: return try await openConnection(deadline: deadline)
            }
        }
    }

    /// Gives a connection back after an exchange: to the first waiter, to the
    /// idle list, or closed when it cannot carry another request.
    func release(_ connection: HTTP1Connection, reusable: Bool) {
        guard reusable, connection.isActive else {
            connection.close()
            return
        }
        enum Next { case waiter(Waiter), idle, close }
        let next = state.withLock { state -> Next in
            if state.shutDown { return .close }
            if let waiter = state.waiters.popFirst() { return .waiter(waiter) }
            state.idle.append(connection)
            return .idle
        }
        switch next {
        case .waiter(let waiter): waiter.continuation.resume(returning: .connection(connection))
        case .close: connection.close()
        case .idle: break
        }
    }

    /// Closes idle connections and fails waiting requests; connections in use
    /// close when released.
    func shutdown() {
        let (idle, waiters) = state.withLock { state in
            state.shutDown = true
            defer {
                state.idle.removeAll()
                state.waiters.removeAll()
            }
            return (state.idle, Array(state.waiters))
        }
        for connection in idle { connection.close() }
        for waiter in waiters { waiter.continuation.resume(throwing: HTTP1ExchangeError.shutDown) }
    }

    /// Connects within the connect timeout or what is left of the request's time, whichever is shorter.
    private func openConnection(deadline: NIODeadline) async throws -> HTTP1Connection {
        let connection: HTTP1Connection
        do {
            let timeout = min(connectTimeout, max(.zero, deadline - .now()))
            connection = try await HTTP1Connection.connect(to: origin, group: group, connectTimeout: timeout, tls: tls)
        } catch {
            slotFreed(by: nil)
            throw error
        }
        connection.channel.closeFuture.whenComplete { _ in self.slotFreed(by: connection) }
        return connection
    }

    /// A connection closed (or failed to open): its slot goes to the first waiter.
    private func slotFreed(by connection: HTTP1Connection?) {
        let waiter = state.withLock { state -> Waiter? in
            if let connection, let index = state.idle.firstIndex(where: { $0 === connection }) {
                state.idle.remove(at: index)
            }
            state.open -= 1
            guard !state.shutDown, let waiter = state.waiters.popFirst() else { return nil }
            state.open += 1
            return waiter
        }
        waiter?.continuation.resume(returning: .connect)
    }

    private func waitForGrant(deadline: NIODeadline) async throws -> Grant {
        let id = state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let (refused, startSweep) = state.withLock { state -> (HTTP1ExchangeError?, Bool) in
                    if state.shutDown { return (.shutDown, false) }
                    if Task.isCancelled { return (.canceled, false) }
                    state.waiters.append(Waiter(id: id, deadline: deadline, continuation: continuation))
                    defer { state.sweeping = true }
                    return (nil, !state.sweeping)
                }
                if let refused { continuation.resume(throwing: refused) }
                if startSweep { scheduleSweep() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: HTTP1ExchangeError.canceled)
        }
    }

    private func scheduleSweep() {
        group.next().scheduleTask(in: Self.sweepInterval) { self.sweepExpiredWaiters() }
    }

    /// Fails the waiting requests whose deadline has passed; goes on while any waits.
    private func sweepExpiredWaiters() {
        let now = NIODeadline.now()
        let (expired, again) = state.withLock { state -> ([Waiter], Bool) in
            var expired: [Waiter] = []
            var kept = CircularBuffer<Waiter>(initialCapacity: state.waiters.count)
            while let waiter = state.waiters.popFirst() {
                if waiter.deadline <= now { expired.append(waiter) } else { kept.append(waiter) }
            }
            state.waiters = kept
            state.sweeping = !kept.isEmpty && !state.shutDown
            return (expired, state.sweeping)
        }
        for waiter in expired { waiter.continuation.resume(throwing: HTTP1ExchangeError.deadlineExceeded) }
        if again { scheduleSweep() }
    }
}

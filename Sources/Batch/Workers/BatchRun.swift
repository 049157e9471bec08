import Dispatch
import Foundation
import Journal
import Lua
import Runtime
import Synchronization

/// Runs the workers of one batch, each a VM on its own thread, until the journal
/// has no claimable item left or the batch is stopped; renews the leases meanwhile.
final class BatchRun: Sendable {
    /// How one worker ended.
    enum WorkerOutcome: Sendable {
        case finished(RunReport)
        /// The VM could not be built or the script not compiled.
        case notStarted(ScriptError)
    }

    private let shared: BatchShared
    private let recipe: RuntimeRecipe
    private let interrupters = Mutex<[@Sendable () -> Void]>([])
    private let interrupted = Atomic<Bool>(false)

    init(shared: BatchShared, recipe: RuntimeRecipe) {
        self.shared = shared
        self.recipe = recipe
    }

    /// Starts the workers and waits for all of them; outcomes by worker index.
    func run() -> [WorkerOutcome] {
        let outcomes = Mutex<[WorkerOutcome?]>(Array(repeating: nil, count: shared.workerCount))
        let group = DispatchGroup()
        let leases = renewLeasesPeriodically()
        defer { leases.cancel() }
        let counts = shared.isShared ? refreshBatchCountsPeriodically() : nil
        defer { counts?.cancel() }
        for index in 0..<shared.workerCount {
            group.enter()
            let thread = Thread { [self] in
                let outcome = runWorker(index)
                outcomes.withLock { $0[index] = outcome }
                shared.lanesFinished.arrive(index)
                group.leave()
            }
            thread.name = "moonwatch-worker-\(index)"
            // Lua code that recurses deeply runs on this thread's C stack.
            thread.stackSize = 16 << 20
            thread.start()
        }
        group.wait()
        return outcomes.withLock { $0.map { $0! } }
    }

    /// SIGINT/SIGTERM: no new items; every VM cancels its tasks. Any thread.
    func interrupt() {
        interrupted.store(true, ordering: .relaxed)
        shared.stop()
        for interrupt in interrupters.withLock({ $0 }) { interrupt() }
    }

    private func runWorker(_ index: Int) -> WorkerOutcome {
        let worker: BatchWorker
        do throws(ScriptError) {
            worker = try BatchWorker(index: index, shared: shared, recipe: recipe)
        } catch {
            shared.stop()
            return .notStarted(error)
        }
        let interrupt = worker.interrupter
        interrupters.withLock { $0.append(interrupt) }
        if interrupted.load(ordering: .relaxed) { interrupt() }
        do throws(ScriptError) {
            let report = try worker.run()
            // A VM whose script failed outside handle stops the batch: the others
            // finish the items they hold and claim no more.
            if report.outcome != .succeeded { shared.stop() }
            return .finished(report)
        } catch {
            shared.stop()
            return .notStarted(error)
        }
    }

    /// Leases outlive any ordinary item; long ones (a try-on cold start) keep theirs by renewal.
    /// In a shared journal the renewal is also this process's heartbeat, so it starts at once.
    private func renewLeasesPeriodically() -> any DispatchSourceTimer {
        let shared = self.shared
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "moonwatch.leases"))
        let period = shared.leaseSeconds / 4
        timer.schedule(deadline: .now() + (shared.isShared ? 0 : period), repeating: period)
        timer.setEventHandler {
            do throws(JournalError) {
                try shared.journal.renewLeases(owner: shared.owner, leaseSeconds: shared.leaseSeconds)
            } catch {
                shared.logger.error("cannot renew the leases: \(error.message)")
            }
        }
        timer.resume()
        return timer
    }

    /// The progress line of a shared batch shows every machine's work: a count
    /// query every two seconds, cheap beside the batch's own traffic.
    private func refreshBatchCountsPeriodically() -> any DispatchSourceTimer {
        let shared = self.shared
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "moonwatch.batch-counts"))
        timer.schedule(deadline: .now(), repeating: 2)
        timer.setEventHandler {
            guard let counts = try? shared.journal.counts() else { return }
            shared.counters.batchWide.withLock { $0 = counts }
        }
        timer.resume()
        return timer
    }
}

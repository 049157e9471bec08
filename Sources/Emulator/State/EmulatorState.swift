import Synchronization

/// Everything one emulator instance knows and counts. Each concern keeps its own lock, so
/// requests on different routes rarely wait for each other.
final class EmulatorState: Sendable {
    let seed: UInt64
    let speed: Double
    let time: EmulatorTime
    /// When the instance started (Last-Modified of files that have no job behind them).
    let startedAt: Double
    let jobs = JobBook()
    let createdJobs: CreatedJobs
    let counters = Counters()
    let faults: FaultBook
    let coins = CoinLedger()
    let firewall = Firewall()
    let tokens = TokenStore()
    let digests = ObjectDigests()
    let objectSigner: ObjectURLSigner
    private let loaded: Mutex<LoadedScenario>
    private let base = Mutex("http://127.0.0.1")
    private let requestCounter = Atomic<UInt64>(0)

    init(seed: UInt64, speed: Double, clock: any EmulatorClock, scenario: Scenario) throws {
        self.seed = seed
        self.speed = speed
        self.time = EmulatorTime(base: clock)
        self.startedAt = clock.now().rounded(.down)
        self.faults = FaultBook(seed: seed)
        self.createdJobs = CreatedJobs(seed: seed)
        self.objectSigner = ObjectURLSigner(seed: seed)
        let first = try LoadedScenario(scenario, seed: seed)
        self.loaded = Mutex(first)
        try apply(first)
    }

    /// The current scenario.
    var scenario: LoadedScenario { loaded.withLock { $0 } }

    /// The MetaStudio job behind an id: one created by a request, else the scenario's.
    func metaStudioJob(_ jobID: String) -> MetaStudioJob? {
        createdJobs.job(jobID) ?? scenario.metaStudioJob(jobID)
    }

    /// `http://HOST:PORT`, known once the server has bound its port.
    var baseURL: String {
        get { base.withLock { $0 } }
        set { base.withLock { $0 = newValue } }
    }

    func now() -> Double { time.now() }

    /// Scenario seconds a job has been running at `now`: `--speed` compresses time here only,
    /// since signature windows, tokens, URLs and the firewall follow the client's real clock.
    func elapsed(since start: Double, now: Double) -> Double {
        (now - start) * speed
    }

    /// Where a job with `progress` is on `timeline` at `now`.
    func position<S>(on timeline: [TimelineStep<S>], _ progress: JobBook.Progress, now: Double) -> TimelinePosition<S> {
        TimelinePosition(of: timeline, at: elapsed(since: progress.start, now: now), queries: progress.queries)
    }

    /// The real time at which a job that started at `start` reaches `scenarioSeconds`.
    func realTime(start: Double, scenarioSeconds: Double) -> Double {
        start + scenarioSeconds / speed
    }

    /// A request id: deterministic for a given seed and request order, 32 hex digits like
    /// Huawei Cloud's.
    func nextRequestID() -> String {
        let n = requestCounter.add(1, ordering: .relaxed).newValue
        return Hex.encode(StableHash.mix(seed ^ n)) + Hex.encode(StableHash.mix(n &* 0x9e37_79b9_7f4a_7c15 ^ seed))
    }

    /// Validates and installs a scenario, resetting everything that depends on the old one.
    func load(_ scenario: Scenario) throws {
        let next = try LoadedScenario(scenario, seed: seed)
        loaded.withLock { $0 = next }
        try apply(next)
    }

    /// Forgets job starts, created jobs, tokens, firewall history, counters and balances; keeps
    /// the scenario.
    func reset() {
        // The scenario's faults were validated when it loaded, so re-installing them cannot fail.
        try? apply(scenario)
    }

    private func apply(_ scenario: LoadedScenario) throws {
        jobs.reset()
        createdJobs.reset()
        tokens.reset()
        counters.reset()
        firewall.configure(scenario.scenario.tryon.firewall)
        coins.load(scenario.scenario.tryon.accounts)
        faults.clear()
        try faults.install(scenario.scenario.faults)
    }
}

/// One state of a job and how long the job stays in it. The last step has no `seconds`:
/// the job stays there. Durations are in scenario time, which `--speed` compresses.
public struct TimelineStep<State: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var state: State
    public var seconds: Double?
    /// Queue position while in this step (try-on only).
    public var position: Int?

    public init(state: State, seconds: Double? = nil, position: Int? = nil) {
        self.state = state
        self.seconds = seconds
        self.position = position
    }

    enum CodingKeys: String, CodingKey { case state, seconds, position }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            state: try c.decode(State.self, forKey: .state),
            seconds: try c.decodeIfPresent(Double.self, forKey: .seconds),
            position: try c.decodeIfPresent(Int.self, forKey: .position)
        )
    }
}

/// Where a job is on its timeline at some moment.
struct TimelinePosition<State: Codable & Sendable & Equatable> {
    let index: Int
    let step: TimelineStep<State>
    /// Scenario seconds from the job's start to when it entered this step.
    let enteredAt: Double

    /// The step in force `elapsed` scenario seconds after the job started.
    init(of steps: [TimelineStep<State>], at elapsed: Double) {
        var start = 0.0
        for (index, step) in steps.enumerated() {
            let isLast = index == steps.count - 1
            if isLast || elapsed < start + (step.seconds ?? .infinity) {
                self.index = index
                self.step = step
                self.enteredAt = start
                return
            }
            start += step.seconds ?? 0
        }
        preconditionFailure("validated timelines are never empty")
    }
}

extension Array {
    /// Checks a timeline: not empty, every step but the last with a positive duration, every
    /// state accepted by `isKnown`.
    func validateTimeline<State>(
        named name: String,
        isKnown: (State) -> Bool
    ) throws where Element == TimelineStep<State> {
        guard !isEmpty else { throw ScenarioError("\(name): the timeline is empty") }
        for (index, step) in enumerated() {
            guard isKnown(step.state) else { throw ScenarioError("\(name): unknown state \(step.state)") }
            if index < count - 1, (step.seconds ?? 0) <= 0 {
                throw ScenarioError("\(name): step \(index + 1) (\(step.state)) needs a positive \"seconds\"")
            }
        }
    }
}

/// A scenario that cannot be loaded, with the reason.
public struct ScenarioError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) { self.description = description }
}

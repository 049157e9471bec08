/// One state of a job and how long the job stays in it. The last step has neither `seconds`
/// nor `polls`: the job stays there. Durations are in scenario time, which `--speed`
/// compresses.
///
/// A timeline counts either time (`seconds` on every step but the last) or queries (`polls`:
/// the job leaves the step after that many queries of it, whenever they come), which makes
/// "every job needs exactly 3 polls" workloads for benchmarks independent of timing.
package struct TimelineStep<State: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    package var state: State
    package var seconds: Double?
    /// Queries answered with this step before the job moves on (instead of `seconds`).
    package var polls: Int?
    /// Queue position while in this step (try-on only).
    package var position: Int?

    package init(state: State, seconds: Double? = nil, polls: Int? = nil, position: Int? = nil) {
        self.state = state
        self.seconds = seconds
        self.polls = polls
        self.position = position
    }

    enum CodingKeys: String, CodingKey { case state, seconds, polls, position }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            state: try c.decode(State.self, forKey: .state),
            seconds: try c.decodeIfPresent(Double.self, forKey: .seconds),
            polls: try c.decodeIfPresent(Int.self, forKey: .polls),
            position: try c.decodeIfPresent(Int.self, forKey: .position)
        )
    }
}

/// Where a job is on its timeline at some moment.
struct TimelinePosition<State: Codable & Sendable & Equatable> {
    let index: Int
    let step: TimelineStep<State>
    /// Scenario seconds from the job's start to when it entered this step (0 on a timeline
    /// that counts queries).
    let enteredAt: Double

    /// The step in force `elapsed` scenario seconds after the job started, when it has been
    /// queried `queries` times (this query included).
    init(of steps: [TimelineStep<State>], at elapsed: Double, queries: Int) {
        if steps.first?.polls != nil {
            var answered = 0
            for (index, step) in steps.enumerated() {
                answered += step.polls ?? 0
                if index == steps.count - 1 || queries <= answered {
                    self.init(index: index, step: step, enteredAt: 0)
                    return
                }
            }
        }
        var start = 0.0
        for (index, step) in steps.enumerated() {
            let isLast = index == steps.count - 1
            if isLast || elapsed < start + (step.seconds ?? .infinity) {
                self.init(index: index, step: step, enteredAt: start)
                return
            }
            start += step.seconds ?? 0
        }
        preconditionFailure("validated timelines are never empty")
    }

    private init(index: Int, step: TimelineStep<State>, enteredAt: Double) {
        self.index = index
        self.step = step
        self.enteredAt = enteredAt
    }
}

extension Array {
    /// Checks a timeline: not empty, every step but the last with a positive duration (all in
    /// `seconds` or all in `polls`), every state accepted by `isKnown`.
    func validateTimeline<State>(
        named name: String,
        isKnown: (State) -> Bool
    ) throws where Element == TimelineStep<State> {
        guard !isEmpty else { throw ScenarioError("\(name): the timeline is empty") }
        let countsPolls = first?.polls != nil
        for (index, step) in enumerated() {
            guard isKnown(step.state) else { throw ScenarioError("\(name): unknown state \(step.state)") }
            guard index < count - 1 else { break }
            if countsPolls ? (step.polls ?? 0) <= 0 || step.seconds != nil : (step.seconds ?? 0) <= 0 || step.polls != nil {
                let unit = countsPolls ? "polls" : "seconds"
                throw ScenarioError("\(name): step \(index + 1) (\(step.state)) needs a positive \"\(unit)\" (a timeline counts either seconds or polls)")
            }
        }
    }
}

/// A scenario that cannot be loaded, with the reason.
package struct ScenarioError: Error, CustomStringConvertible, Sendable {
    package let description: String

    init(_ description: String) { self.description = description }
}

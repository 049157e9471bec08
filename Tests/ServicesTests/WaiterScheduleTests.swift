import XCTest

@testable import Services
@testable import Transport

final class WaiterScheduleTests: XCTestCase {
    func testExponentialGrowthCappedAtMaxDelay() {
        let schedule = WaiterSchedule(minDelay: 2, maxDelay: 60, timeout: 10_000)
        let top = (1...8).map { schedule.nextDelay(attempt: $0, remaining: 10_000, random: .constant(1))! }
        XCTAssertEqual(top, [2, 4, 8, 16, 32, 60, 60, 60])
        let bottom = (1...8).map { schedule.nextDelay(attempt: $0, remaining: 10_000, random: .constant(0))! }
        XCTAssertEqual(bottom, Array(repeating: 2, count: 8), "jitter stays within [min_delay, ceiling]")
        let middle = schedule.nextDelay(attempt: 4, remaining: 10_000, random: .constant(0.5))!
        XCTAssertEqual(middle, 2 + 0.5 * (16 - 2))
    }

    func testLastAttemptLandsAtTheDeadline() {
        let schedule = WaiterSchedule(minDelay: 2, maxDelay: 60, timeout: 100)
        var elapsed = 0.0
        var attempt = 1
        var polls = [0.0]
        while let delay = schedule.nextDelay(attempt: attempt, remaining: schedule.timeout - elapsed, random: .constant(1)) {
            elapsed += delay
            polls.append(elapsed)
            attempt += 1
        }
        XCTAssertEqual(polls, [0, 2, 6, 14, 30, 62, 100])
        XCTAssertEqual(polls.last, schedule.timeout)
    }

    func testStretchesTheFinalDelayInsteadOfLeavingASliver() {
        let schedule = WaiterSchedule(minDelay: 5, maxDelay: 60, timeout: 1000)
        // 61 s left: waiting 60 would leave 1 s (< min_delay): wait the whole 61 s.
        XCTAssertEqual(schedule.nextDelay(attempt: 10, remaining: 61, random: .constant(1)), 61)
        XCTAssertEqual(schedule.nextDelay(attempt: 10, remaining: 70, random: .constant(1)), 60)
        XCTAssertNil(schedule.nextDelay(attempt: 10, remaining: 0, random: .constant(1)))
        XCTAssertEqual(schedule.nextDelay(attempt: 1, remaining: 3, random: .constant(0)), 3)
    }

    func testDefaults() {
        XCTAssertEqual(WaiterSchedule.defaults(for: .tryon).initialDelay, 30)
        XCTAssertEqual(WaiterSchedule.defaults(for: .tryon).nextDelay(attempt: 1, remaining: 1000, random: .constant(0.3)), 60)
        XCTAssertEqual(WaiterSchedule.defaults(for: .tryon).nextDelay(attempt: 9, remaining: 1000, random: .constant(0.9)), 60)
        XCTAssertEqual(WaiterSchedule.defaults(for: .metastudio).minDelay, 2)
        XCTAssertEqual(WaiterSchedule.defaults(for: .faceedge).maxDelay, 60)
        XCTAssertEqual(WaiterSchedule.defaults(for: .metastudio).initialDelay, 0)
    }

    func testValidation() {
        XCTAssertThrowsError(try WaiterSchedule(minDelay: 0, maxDelay: 1, timeout: 1).validated(function: "api.tryon.wait")) {
            XCTAssertEqual(($0 as? ServiceError)?.message, "api.tryon.wait: option 'min_delay' must be > 0")
        }
        XCTAssertThrowsError(try WaiterSchedule(minDelay: 1, maxDelay: 2, timeout: .infinity).validated(function: "w"))
        XCTAssertNoThrow(try WaiterSchedule.tryOn.validated(function: "w"))
    }
}

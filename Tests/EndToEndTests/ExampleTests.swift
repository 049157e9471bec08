import Emulator
import Foundation
import XCTest

/// The examples in `scripts/` through the built binary, against an emulator in
/// the test process with faults on every service route they use: 10% 5xx, 5%
/// connection resets and bursts of 429 (``standardFaults(on:bursts:)``). Each
/// must finish with exit 0 and the records the scenario's timelines imply.
///
/// `tryon_wait.lua` and `modelarts_export.lua` run with `download=no` here:
/// their downloads need `http.download`, tested with it.
final class ExampleTests: XCTestCase {
    func testMetaStudioWaitUnderFaults() async throws {
        let endings: [(id: String, state: String, status: String, error: String?)] = [
            ("ms-01", "SUCCEED", "succeeded", nil), ("ms-02", "SUCCEED", "succeeded", nil),
            ("ms-03", "SUCCEED", "succeeded", nil), ("ms-04", "SUCCEED", "succeeded", nil),
            ("ms-05", "SUCCEED", "succeeded", nil), ("ms-06", "SUCCEED", "succeeded", nil),
            ("ms-07", "FAILED", "failed", "No face was detected. (MSS.00010001)"),
            ("ms-08", "FAILED", "failed", "Internal Error (MSS.00000004)"),
            ("ms-09", "PARTIAL_SUCCEED", "partial", "Cover failed. (MSS.00010003)"),
            ("ms-10", "CANCELED", "canceled", nil),
        ]
        let errors = [
            "ms-07": ServiceErrorInfo(errorCode: "MSS.00010001", errorMsg: "No face was detected."),
            "ms-08": ServiceErrorInfo(errorCode: "MSS.00000004", errorMsg: "Internal Error"),
            "ms-09": ServiceErrorInfo(errorCode: "MSS.00010003", errorMsg: "Cover failed."),
        ]
        let jobs = endings.map { ending in
            MetaStudioJob(
                jobID: ending.id,
                timeline: ending.state == "CANCELED"
                    ? [.init(state: "WAITING", seconds: 1), .init(state: "CANCELED")]
                    : [.init(state: "WAITING", seconds: 1), .init(state: "PROCESSING", seconds: 1), .init(state: ending.state)],
                error: errors[ending.id])
        }
        let session = try await EmulatorSession.start(
            scenario: Scenario(unknownIDs: .notFound, metastudio: .init(jobs: jobs), faults: standardFaults(on: .metaStudioJob)))
        let result = try await session.runExample("metastudio_wait.lua", endings.map(\.id))
        let counters = session.emulator.counters()
        await session.shutdown()

        XCTAssertEqual(result.status, 0, result.stderr)
        let records = try session.records(by: "job_id")
        XCTAssertEqual(records.count, endings.count)
        for ending in endings {
            XCTAssertEqual(records[ending.id]?["status"] as? String, ending.status, ending.id)
            XCTAssertEqual(records[ending.id]?["state"] as? String, ending.state, ending.id)
            XCTAssertEqual(records[ending.id]?["error"] as? String, ending.error, ending.id)
        }
        assertFaultsFired(counters, on: .metaStudioJob)
    }

    func testFaceEdgeWatchUnderFaults() async throws {
        let tasks = [
            FaceEdgeTask(taskID: "fe-stays", timeline: [
                .init(state: "PENDING", seconds: 1), .init(state: "STARTING", seconds: 1), .init(state: "RUNNING"),
            ]),
            FaceEdgeTask(taskID: "fe-fails", timeline: [
                .init(state: "PENDING", seconds: 1), .init(state: "RUNNING", seconds: 3), .init(state: "FAILED"),
            ]),
            FaceEdgeTask(taskID: "fe-stops", timeline: [
                .init(state: "RUNNING", seconds: 3), .init(state: "STOPPING", seconds: 1), .init(state: "STOPPED"),
            ]),
            FaceEdgeTask(taskID: "fe-never", timeline: [.init(state: "PENDING", seconds: 1), .init(state: "CREATE_FAILED")]),
        ]
        let session = try await EmulatorSession.start(
            scenario: Scenario(unknownIDs: .notFound, faceedge: .init(tasks: tasks), faults: standardFaults(on: .faceEdgeTask)))
        let result = try await session.runExample(
            "faceedge_watch.lua", ["watch=6", "interval=0.25"] + tasks.map(\.taskID))
        let counters = session.emulator.counters()
        await session.shutdown()

        XCTAssertEqual(result.status, 0, result.stderr)
        let records = try session.records(by: "task_id")
        XCTAssertEqual(records["fe-stays"]?["event"] as? String, "still_running")
        XCTAssertEqual(records["fe-fails"]?["event"] as? String, "left_running")
        XCTAssertEqual(records["fe-fails"]?["status"] as? String, "failed")
        XCTAssertEqual(records["fe-stops"]?["event"] as? String, "left_running")
        XCTAssertTrue(["stopping", "stopped"].contains(records["fe-stops"]?["status"] as? String ?? ""), "\(records)")
        XCTAssertEqual(records["fe-never"]?["event"] as? String, "never_running")
        XCTAssertEqual(records["fe-never"]?["status"] as? String, "failed")
        XCTAssertTrue(result.stderr.contains("task fe-fails left RUNNING: now failed (FAILED)"), result.stderr)
        assertFaultsFired(counters, on: .faceEdgeTask)
    }

    func testTryOnWaitUnderFaults() async throws {
        let jobs = [
            TryOnJob(infID: 501, timeline: [.init(state: 1, seconds: 1, position: 1), .init(state: 2)]),
            TryOnJob(infID: 502, timeline: [.init(state: 1, seconds: 1, position: 2), .init(state: 2)]),
            TryOnJob(infID: 503, timeline: [.init(state: 1, seconds: 2, position: 3), .init(state: 2)]),
            TryOnJob(
                infID: 504, timeline: [.init(state: 1, seconds: 1), .init(state: -1)],
                failure: TryOnFailure(info: "没有检测到脸部", infoEn: "No face was detected.")),
        ]
        // A firewall far above the configured rate (its half): this test is about faults, not blocks.
        let scenario = Scenario(
            unknownIDs: .notFound,
            tryon: TryOnSettings(firewall: TryOnFirewall(maxRequests: 1200, windowSeconds: 60), jobs: jobs),
            faults: standardFaults(on: .tryOnResult, bursts: [3, 9]))
        let session = try await EmulatorSession.start(scenario: scenario)
        let result = try await session.runExample("tryon_wait.lua", ["delay=0.5", "download=no"] + jobs.map { String($0.infID) })
        let counters = session.emulator.counters()
        await session.shutdown()

        XCTAssertEqual(result.status, 0, result.stderr)
        let records = try session.records(by: "inf_id")
        for id in ["501", "502", "503"] { XCTAssertEqual(records[id]?["status"] as? String, "succeeded", id) }
        XCTAssertEqual(records["504"]?["status"] as? String, "failed")
        XCTAssertEqual(records["504"]?["error"] as? String, "No face was detected.")
        assertFaultsFired(counters, on: .tryOnResult)
    }

    func testModelArtsExportListingUnderFaults() async throws {
        // 2,500 samples: 25 pages of 100; 2 (deleted) has no processed file.
        let properties = (0..<2500).map { [0, 1, 2, 3, 3][$0 % 5] }
        let task = ModelArtsTask(
            taskID: "task-e2e", versionID: "v7", samples: properties.map { ModelArtsSample(resultProperty: $0) })
        let session = try await EmulatorSession.start(
            scenario: Scenario(
                unknownIDs: .notFound, modelarts: .init(tasks: [task]),
                faults: standardFaults(on: .modelArtsResults)))
        let result = try await session.runExample("modelarts_export.lua", ["download=no", "task-e2e", "v7"])
        let counters = session.emulator.counters()
        await session.shutdown()

        XCTAssertEqual(result.status, 0, result.stderr)
        let records = try session.records()
        XCTAssertEqual(records.count, properties.filter { $0 != 2 }.count)
        XCTAssertEqual(Set(records.compactMap { $0["sample_id"] as? String }).count, records.count, "a sample twice")
        XCTAssertEqual(records.filter { $0["result_property"] as? String == "added" }.count, 1000)
        XCTAssertTrue(result.stderr.contains("2500 results, 2000 processed files to export"), result.stderr)
        assertFaultsFired(counters, on: .modelArtsResults)
    }

    /// Each kind of fault reached the route at least once, so the run above really survived them.
    private func assertFaultsFired(_ counters: EmulatorCounters, on route: EmulatorRoute, line: UInt = #line) {
        let fired = counters.faultsInjected[route.rawValue] ?? [:]
        for kind in ["error", "reset", "throttle"] {
            XCTAssertGreaterThan(fired[kind] ?? 0, 0, "no \(kind) fault fired on \(route.rawValue): \(counters.faultsInjected)", line: line)
        }
    }
}

import Foundation
import XCTest

/// `moonwatch run` and `moonwatch check` through the real binary: exit codes,
/// messages, records, signals and limits (docs/contract.md §1, §2.6).
final class RunCommandTests: XCTestCase {
    func testSuccessfulRunEmitsRecordsAndLogsToStderr() throws {
        let harness = try BinaryHarness()
        try harness.write("ok.lua", """
            local results = task.map({1, 2, 3}, function(v) task.sleep(0.01) return v * 2 end)
            for i, r in ipairs(results) do emit({item = i, doubled = r, arg = args[1]}) end
            log.info("done with %d items", #results)
            """)
        let result = try harness.run("run", "--out", "results", "ok.lua", "--flag")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("done with 3 items"), result.stderr)
        let lines = harness.read("results/records.jsonl").split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines.last?.contains(#""doubled":6"#) ?? false, "\(lines)")
        XCTAssertTrue(lines.last?.contains(#""arg":"--flag""#) ?? false, "\(lines)")
    }

    func testOptionsBeforeTheScriptAreMoonwatchsAndAfterItTheScripts() throws {
        let harness = try BinaryHarness()
        try harness.write("args.lua", "emit(args)")
        let result = try harness.run("run", "--out", "elsewhere", "args.lua", "--out", "x", "-v")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(harness.read("elsewhere/records.jsonl"), #"["--out","x","-v"]"# + "\n")
    }

    func testSyntaxErrorPrintsFileLineAndExits2() throws {
        let harness = try BinaryHarness()
        try harness.write("bad.lua", "local ok = 1\nlocal x = = 2\n")
        let run = try harness.run("run", "bad.lua")
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stderr, "bad.lua:2: unexpected symbol near '='\n")
        let check = try harness.run("check", "bad.lua")
        XCTAssertEqual(check.status, 2)
        XCTAssertEqual(check.stderr, "bad.lua:2: unexpected symbol near '='\n")
        try harness.write("good.lua", "task.sleep(100)")
        let good = try harness.run("check", "good.lua")
        XCTAssertEqual(good.status, 0)
        XCTAssertLessThan(good.seconds, 10, "check must not run the script")
    }

    func testRuntimeErrorPrintsMessageAndTracebackAndExits1() throws {
        let harness = try BinaryHarness()
        try harness.write("fail.lua", """
            local function fetch(id)
              task.sleep(0.01)
              error("job " .. id .. " vanished")
            end
            fetch("j-7")
            """)
        let result = try harness.run("run", "fail.lua")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("fail.lua:3: job j-7 vanished"), result.stderr)
        XCTAssertTrue(result.stderr.contains("stack traceback:"), result.stderr)
        XCTAssertTrue(result.stderr.contains("fail.lua:5: in main chunk"), result.stderr)
    }

    func testUsageErrorsExit2() throws {
        let harness = try BinaryHarness()
        XCTAssertEqual(try harness.run("run").status, 2)
        XCTAssertEqual(try harness.run("frobnicate").status, 2)
        XCTAssertEqual(try harness.run("run", "--memory-limit", "0", "x.lua").status, 2)
        let missing = try harness.run("run", "missing.lua")
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("missing.lua"), missing.stderr)
        XCTAssertEqual(try harness.run("--help").status, 0)
    }

    func testSigintDuringSleepsExits130PromptlyAndRunsCloseHandlers() throws {
        let harness = try BinaryHarness()
        try harness.write("sleepy.lua", """
            for i = 1, 1000 do task.spawn(function() task.sleep(600) end) end
            local guard <close> = setmetatable({}, {__close = function() emit({closed = true}) end})
            log.info("sleeping")
            task.sleep(600)
            """)
        let (process, _, err) = try harness.start(["run", "sleepy.lua"])
        let deadline = Date().addingTimeInterval(20)
        while !((try? String(contentsOf: err, encoding: .utf8)) ?? "").contains("sleeping") && Date() < deadline {
            usleep(20_000)
        }
        let interrupted = Date()
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssertLessThan(Date().timeIntervalSince(interrupted), 2)
        XCTAssertEqual(harness.read("out/records.jsonl"), #"{"closed":true}"# + "\n")
    }

    func testInfiniteLoopIsStoppedByTheDefaultBudgetWithin30Seconds() throws {
        let harness = try BinaryHarness()
        try harness.write("spin.lua", "local n = 0\nwhile true do n = n + 1 end\n")
        let result = try harness.run("run", "spin.lua")
        XCTAssertEqual(result.status, 1)
        XCTAssertLessThan(result.seconds, 30)
        XCTAssertTrue(result.stderr.contains("spin.lua:2: instruction budget exceeded"), result.stderr)
    }

    func testMemoryBombIsStoppedWithAClearErrorAndNoCrash() throws {
        let harness = try BinaryHarness()
        try harness.write("bomb.lua", "local t = {}\nfor i = 1, 1e10 do t[i] = {i, i, i} end\n")
        let result = try harness.run("run", "--memory-limit", "64", "bomb.lua")
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("bomb.lua:2: memory limit of 64 MiB exceeded [sandbox]"), result.stderr)
    }

    func testAnUnreadableOrNonUTF8ConfigurationIsAConfigurationError() throws {
        let harness = try BinaryHarness()
        try harness.write("ok.lua", "emit({})")
        try Data([0x6F, 0x75, 0x74, 0x20, 0x3D, 0x20, 0x22, 0xFF, 0x22, 0x0A]).write(to: harness.folder.appendingPathComponent("bad.toml"))
        let bad = try harness.run("run", "--config", "bad.toml", "ok.lua")
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.stderr, "moonwatch: bad.toml is not valid UTF-8\n")
        let missing = try harness.run("run", "--config", "absent.toml", "ok.lua")
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "moonwatch: cannot read configuration file absent.toml\n")
    }
}

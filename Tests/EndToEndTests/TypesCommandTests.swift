import Foundation
import XCTest

/// `moonwatch types`: the definitions it writes compile, and they name exactly
/// the functions a running script has.
final class TypesCommandTests: XCTestCase {
    func testDefinitionsNameEveryFunctionScriptsHave() throws {
        let harness = try BinaryHarness()
        let types = try harness.run("types", "--out", "defs")
        XCTAssertEqual(types.status, 0, types.stderr)
        XCTAssertTrue(types.stdout.hasSuffix("defs/moonwatch.lua\n"), types.stdout)
        let definitions = harness.read("defs/moonwatch.lua")
        XCTAssertTrue(definitions.hasPrefix("---@meta"), "a LuaLS meta file")

        try harness.write("compile.lua", definitions)
        let check = try harness.run("check", "compile.lua")
        XCTAssertEqual(check.status, 0, "the definitions are valid Lua: \(check.stderr)")

        try harness.write("globals.lua", """
            local names = {}
            local function walk(prefix, t)
              for k, v in pairs(t) do
                if type(v) == "function" then names[#names + 1] = prefix .. k
                elseif type(v) == "table" and prefix:find("^api") then walk(prefix .. k .. ".", v) end
              end
            end
            for _, module in ipairs({"api", "http", "task", "log", "json"}) do walk(module .. ".", _G[module]) end
            -- A handle's metatable is locked, so its methods are probed by name:
            -- the ones the definitions declare and others a handle might have.
            local handle = task.spawn(function() end)
            for _, k in ipairs(args) do
              if type(handle[k]) == "function" then names[#names + 1] = "Task:" .. k end
            end
            handle:wait()
            names[#names + 1] = "emit"
            table.sort(names)
            emit(names)
            """)
        let declaredMethods = definitions.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("function Task:"), let open = line.firstIndex(of: "(") else { return nil }
            return String(line[line.index(line.startIndex, offsetBy: 14)..<open])
        }
        XCTAssertFalse(declaredMethods.isEmpty, "the definitions declare the handle's methods")
        let probes = declaredMethods + ["close", "join", "result", "status", "id", "await", "kill"]
        let run = try harness.run(["run", "globals.lua"] + probes)
        XCTAssertEqual(run.status, 0, run.stderr)
        let installed = Set(try XCTUnwrap(JSONSerialization.jsonObject(with: Data(harness.read("out/records.jsonl").utf8)) as? [String]))
        XCTAssertTrue(installed.contains("api.metastudio.wait"), "\(installed)")

        let declared = Set(definitions.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("function "), let open = line.firstIndex(of: "(") else { return nil }
            return String(line[line.index(line.startIndex, offsetBy: 9)..<open])
        })
        XCTAssertEqual(installed.subtracting(declared).sorted(), [], "functions scripts have without a definition")
        XCTAssertEqual(declared.subtracting(installed).sorted(), [], "definitions of functions scripts do not have")
    }

    func testUnwritableFolderIsAClearError() throws {
        let harness = try BinaryHarness()
        try harness.write("taken", "a file, not a folder")
        let result = try harness.run("types", "--out", "taken")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("cannot write") && result.stderr.contains("taken/moonwatch.lua"), result.stderr)
    }
}

import BenchSupport
import Lua

/// Measures the cost of calling a Swift-bound function from Lua against a plain
/// C function registered with lua_pushcfunction, in the same VM and run.
enum BindingCost {
    static func run(calls: Int) throws {
        let state = LuaState()
        try state.openSandbox()
        try state.installCLibrary("cbench", open: bench_open)
        try state.install(LuaModule("swift", [.function("noop") { _ in .none }]))

        /// Seconds for a loop of `calls` iterations that calls `function` (a Lua
        /// expression naming it), or does nothing.
        func seconds(calling function: String?) throws -> Double {
            let body = function == nil ? "" : "f()"
            let code = "local f = \(function ?? "nil") ; local clock = os.clock ; local t = clock() ; for i = 1, \(calls) do \(body) end ; return clock() - t"
            try state.load(Array(code.utf8), chunkName: "=bench")
            return try state.call(argumentsOnStack: 0).first?.doubleValue ?? .nan
        }

        var empty: [Double] = [], c: [Double] = [], swift: [Double] = []
        for _ in 0..<7 {
            empty.append(try seconds(calling: nil))
            c.append(try seconds(calling: "cbench.noop"))
            swift.append(try seconds(calling: "swift.noop"))
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let loop = median(empty), cCall = median(c) - loop, swiftCall = median(swift) - loop
        let perCall = { (seconds: Double) in seconds / Double(calls) * 1e9 }
        print("calls per sample: \(calls), 7 samples, medians")
        func format(_ value: Double) -> String { String(Double(Int((value * 100).rounded())) / 100) }
        print("empty loop: \(format(perCall(loop))) ns/iteration")
        print("C function (lua_pushcfunction): \(format(perCall(cCall))) ns/call")
        print("Swift-bound function: \(format(perCall(swiftCall))) ns/call")
        print("ratio Swift/C, loop overhead subtracted: \(format(swiftCall / cCall)) (target <= 2.0)")
        print("ratio Swift/C, whole loop: \(format(median(swift) / median(c)))")
    }
}

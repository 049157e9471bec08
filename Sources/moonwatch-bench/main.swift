#if canImport(Glibc)
import Glibc
#endif

/// Benchmarks that need code inside the package (scripts/bench runs them):
///   moonwatch-bench binding-cost [CALLS]
///   moonwatch-bench report DIR [ITEMS]
let arguments = CommandLine.arguments
switch arguments.count > 1 ? arguments[1] : "" {
case "binding-cost":
    try BindingCost.run(calls: arguments.count > 2 ? Int(arguments[2]) ?? 10_000_000 : 10_000_000)
case "report" where arguments.count > 2:
    exit(try ReportBench.run(folder: arguments[2], items: arguments.count > 3 ? Int(arguments[3]) ?? 10_000 : 10_000))
default:
    print("usage: moonwatch-bench binding-cost [CALLS] | report DIR [ITEMS]")
    exit(2)
}

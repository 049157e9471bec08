import Foundation

/// The entry point every fuzz target shares: libFuzzer's driver in a fuzzing
/// build (`-DFUZZING`), a replay of the files and folders named as arguments
/// otherwise.
///
/// SwiftPM links each executable with `main` aliased to the module's own entry
/// point, so libFuzzer's `main` cannot be used; `LLVMFuzzerRunDriver` is
/// libFuzzer's documented way to start it from a `main` of our own, and it takes
/// the target's callback as an argument, so no target exports
/// `LLVMFuzzerTestOneInput` (test bundles link several targets at once).
public enum FuzzEntry {
    /// One input: its bytes and length. libFuzzer passes a null pointer for the
    /// empty input. The return value is 0 (libFuzzer reserves others).
    public typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

    /// Runs `testOneInput` under libFuzzer, or over the inputs named by the
    /// command line, and exits.
    public static func main(_ testOneInput: TestOneInput) -> Never {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
        #else
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard !arguments.isEmpty else {
            FileHandle.standardError.write(Data("usage: \(CommandLine.arguments[0]) FILE_OR_FOLDER...\n".utf8))
            exit(2)
        }
        do {
            let count = try FuzzReplay.run(arguments, through: testOneInput)
            print("replayed \(count) inputs")
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("\(CommandLine.arguments[0]): \(error)\n".utf8))
            exit(1)
        }
        #endif
    }
}

#if FUZZING
/// libFuzzer's driver, linked in by `-sanitize=fuzzer`.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ testOneInput: FuzzEntry.TestOneInput
) -> Int32
#endif

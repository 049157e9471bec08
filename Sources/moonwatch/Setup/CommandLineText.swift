/// This process's command line as one line a shell would take back, for the
/// report's header (redacted by the caller: a flag could carry a URL's token).
enum CommandLineText {
    static var current: String {
        CommandLine.arguments.enumerated().map { index, argument in
            index == 0 ? "moonwatch" : quoted(argument)
        }.joined(separator: " ")
    }

    private static func quoted(_ argument: String) -> String {
        let plain = !argument.isEmpty && argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@%+,".contains($0) }
        return plain ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

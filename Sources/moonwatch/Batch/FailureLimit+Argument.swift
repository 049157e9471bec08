import ArgumentParser
import Batch

/// `--max-failures N|P%`, parsed by ``FailureLimit/init(argument:)``.
extension FailureLimit: ExpressibleByArgument {}

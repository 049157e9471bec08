import Lua

/// Reads the positional arguments that a Lua wrapper took from an options
/// table, so errors name the option the script wrote:
/// `api.metastudio.job: option 'job_id' must be a string, got number`.
struct NamedArguments {
    let call: LuaCall
    let function: String
    /// The option name of each argument, in order.
    let names: [String]

    func problem(_ index: Int32, _ text: String) -> ScriptError {
        ScriptError(.invalidArgument, "\(function): option '\(names[Int(index) - 1])' \(text)")
    }

    private func mismatch(_ index: Int32, _ expected: String) -> ScriptError {
        problem(index, "must be \(expected), got \(call.type(index).name)")
    }

    func string(_ index: Int32) throws(ScriptError) -> String {
        guard let value = try optionalString(index) else { throw problem(index, "is required (a string)") }
        return value
    }

    func optionalString(_ index: Int32) throws(ScriptError) -> String? {
        switch call.type(index) {
        case .nil, .none: return nil
        case .string: return call.stack.string(at: index)
        default: throw mismatch(index, "a string")
        }
    }

    /// An integer; digit strings are accepted too (ids often come from CSV files).
    func optionalInteger(_ index: Int32) throws(ScriptError) -> Int64? {
        switch call.type(index) {
        case .nil, .none: return nil
        case .number:
            guard case .integer(let value) = try call.value(index) else {
                guard let number = try call.value(index).doubleValue, let exact = Int64(exactly: number) else {
                    throw mismatch(index, "an integer")
                }
                return exact
            }
            return value
        case .string:
            guard let text = call.stack.string(at: index), let value = Int64(text) else { throw mismatch(index, "an integer") }
            return value
        default: throw mismatch(index, "an integer")
        }
    }

    func optionalNumber(_ index: Int32) throws(ScriptError) -> Double? {
        switch call.type(index) {
        case .nil, .none: return nil
        case .number: return try call.value(index).doubleValue
        default: throw mismatch(index, "a number")
        }
    }
}

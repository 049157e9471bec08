import Lua
import Services
import Transport

extension ServiceError {
    /// The error table of docs/contract.md §2.5: `kind`, `message` and what is known of
    /// `service`, `status`, `code`, `request_id`, `retryable`. Messages are
    /// already redacted by the Services layer.
    var scriptError: ScriptError {
        var fields: [String: LuaValue] = ["retryable": .boolean(retryable)]
        if let service { fields["service"] = .string(service) }
        if let status { fields["status"] = .integer(Int64(status)) }
        if let code { fields["code"] = .string(code) }
        if let requestID { fields["request_id"] = .string(requestID) }
        return ScriptError(ScriptError.Kind(rawValue: kind.rawValue), message, fields: fields)
    }
}

/// Runs `body`, raising what it throws as the script's error table.
func scripted<T>(_ body: () throws(ServiceError) -> T) throws(ScriptError) -> T {
    do throws(ServiceError) {
        return try body()
    } catch {
        throw error.scriptError
    }
}

/// Awaits `body`, raising what it throws as the script's error table.
func scripted<T>(_ body: () async throws(ServiceError) -> T) async throws(ScriptError) -> T {
    do throws(ServiceError) {
        return try await body()
    } catch {
        throw error.scriptError
    }
}

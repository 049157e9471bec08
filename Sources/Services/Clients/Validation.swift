import Transport

/// Argument checks shared by the clients; failures are `invalid_argument`
/// errors naming the function and the argument.
enum Validation {
    static func invalid(_ function: String, _ argument: String, _ why: String) -> ServiceError {
        ServiceError(.invalidArgument, "\(function): argument '\(argument)' \(why)")
    }

    /// A non-empty id that is not `.` or `..` (it is percent-encoded into the path).
    static func pathSegment(_ value: String, argument: String, function: String) throws(ServiceError) {
        if value.isEmpty { throw invalid(function, argument, "must be a non-empty string") }
        if value == "." || value == ".." { throw invalid(function, argument, "must not be '\(value)'") }
    }

    /// `X-App-UserId`: printable ASCII, no Chinese (the service refuses it).
    static func appUserID(_ value: String, function: String) throws(ServiceError) {
        if value.isEmpty { throw invalid(function, "app_user_id", "must not be empty") }
        if let bad = value.unicodeScalars.first(where: { $0.value < 0x20 || $0.value > 0x7E }) {
            throw invalid(
                function, "app_user_id",
                "must be printable ASCII (found U+\(String(bad.value, radix: 16, uppercase: true)))")
        }
    }
}

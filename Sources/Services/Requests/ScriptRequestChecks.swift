import Transport

/// The checks every request a script builds goes through before anything is
/// sent: the method, and each header the script gave (a CR or LF in a value
/// would let it inject headers or a second request).
enum ScriptRequestChecks {
    /// Methods a script may send.
    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    /// Methods that may be sent twice with the effect of once, so retried by default.
    static let idempotent: Set<String> = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]
    /// Headers the transport writes itself.
    static let transportHeaders: Set<String> = ["host", "content-length", "transfer-encoding", "connection"]

    /// The method in upper case, or `invalid_argument`.
    static func method(_ text: String, function: String) throws(ServiceError) -> String {
        let method = text.uppercased()
        guard methods.contains(method) else {
            throw ServiceError(
                .invalidArgument,
                "\(function): option 'method' must be one of \(methods.sorted().joined(separator: ", ")), got '\(text.prefix(40))'")
        }
        return method
    }

    /// Whether a request with `method` is retried when the script does not say.
    static func retriesByDefault(_ method: String) -> Bool { idempotent.contains(method) }

    /// `headers` as fields, or `invalid_argument` naming the first bad one: a name
    /// that is not an HTTP token, a value with CR, LF or another control
    /// character, or a header in `reserved` (lower case) that moonwatch sets itself.
    static func headers(
        _ headers: [(name: String, value: String)], reserved: Set<String>, function: String
    ) throws(ServiceError) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in headers {
            guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte) else {
                throw ServiceError(.invalidArgument, "\(function): header name '\(name.prefix(40))' is not a valid HTTP header name")
            }
            if value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) {
                throw ServiceError(
                    .invalidArgument, "\(function): header '\(name)' has a CR or LF in its value (header injection refused)")
            }
            guard value.utf8.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else {
                throw ServiceError(.invalidArgument, "\(function): header '\(name)' has a control character in its value")
            }
            let lower = name.lowercased()
            guard !reserved.contains(lower), !transportHeaders.contains(lower) else {
                throw ServiceError(.invalidArgument, "\(function): header '\(name)' is set by moonwatch and cannot be given")
            }
            fields.append(name, value)
        }
        return fields
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

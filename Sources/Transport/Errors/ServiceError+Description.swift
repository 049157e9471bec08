extension ServiceError: CustomStringConvertible {
    /// One readable line: `auth error from metastudio (HTTP 401, APIGW.0301, request abc): message`.
    package var description: String {
        var head = "\(kind.rawValue) error"
        if let service { head += " from \(service)" }
        var details: [String] = []
        if let status { details.append("HTTP \(status)") }
        if let code { details.append(code) }
        if let requestID { details.append("request \(requestID)") }
        if !details.isEmpty { head += " (" + details.joined(separator: ", ") + ")" }
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        return head + ": " + oneLine
    }
}

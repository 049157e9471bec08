#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JSON
import Logging
import Services

/// Writes log lines to standard error, as text for people or JSON for machines,
/// with every secret of the run masked.
struct ConsoleLogHandler: LogHandler {
    enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let format: Format
    /// Removes the run's secrets from every line.
    let redactor: Redactor

    init(level: Logger.Level, format: Format, redactor: Redactor = Redactor()) {
        self.logLevel = level
        self.format = format
        self.redactor = redactor
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let line: String
        switch format {
        case .text:
            let fields = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
            line = "\(Self.timestamp(iso: false)) \(event.level.label) \(event.message)\(fields)\n"
        case .json:
            var object = "{\"time\":\(JSONValue.quoted(Self.timestamp(iso: true))),\"level\":\(JSONValue.quoted(event.level.rawValue)),\"message\":\(JSONValue.quoted(event.message.description))"
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
                object += ",\(JSONValue.quoted(key)):\(JSONValue.quoted(value.description))"
            }
            line = object + "}\n"
        }
        Console.writeLines(Array(redactor.redact(line).utf8))
    }

    static func timestamp(iso: Bool) -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        let millis = now.tv_nsec / 1_000_000
        func pad(_ value: Int32, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let time = "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec)).\(pad(Int32(millis), 3))"
        guard iso else { return time }
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T\(time)Z"
    }
}

extension Logger.Level {
    /// Fixed-width label for text logs.
    var label: String {
        switch self {
        case .trace: return "TRACE"
        case .debug: return "DEBUG"
        case .info: return "INFO "
        case .notice: return "NOTE "
        case .warning: return "WARN "
        case .error: return "ERROR"
        case .critical: return "CRIT "
        }
    }
}

import JSON

/// `.csv` input (RFC 4180): a header row names the fields; each further record
/// is an item whose values are strings. Quoted fields may hold commas, line
/// breaks and doubled quotes; records end with LF or CRLF.
enum CSVTable {
    static func rows(_ bytes: [UInt8]) -> [InputRow] {
        var reader = CSVReader(bytes)
        guard let header = reader.next() else { return [] }
        if let problem = header.problem {
            return [InputRow(line: header.line, problem: "line \(header.line): the header row is unreadable: \(problem)")]
        }
        var rows: [InputRow] = []
        while let record = reader.next() {
            if record.fields == [[]] { continue }  // a blank line
            if let problem = record.problem {
                rows.append(InputRow(line: record.line, problem: "line \(record.line): \(problem)"))
            } else if record.fields.count != header.fields.count {
                rows.append(InputRow(
                    line: record.line,
                    problem: "line \(record.line): \(record.fields.count) fields, but the header has \(header.fields.count)"))
            } else {
                rows.append(InputRow(line: record.line, json: object(header.fields, record.fields)))
            }
        }
        return rows
    }

    /// `{"name": "value", ...}` in header order (a repeated name stays repeated, as written).
    private static func object(_ names: [[UInt8]], _ values: [[UInt8]]) -> String {
        var json = "{"
        for (index, name) in names.enumerated() {
            if index > 0 { json += "," }
            JSONValue.writeString(String(decoding: name, as: UTF8.self), to: &json)
            json += ":"
            JSONValue.writeString(String(decoding: values[index], as: UTF8.self), to: &json)
        }
        return json + "}"
    }
}

/// Splits CSV bytes into records, tracking the line each starts on.
struct CSVReader {
    struct Record {
        var line: Int
        var fields: [[UInt8]]
        var problem: String?
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        // A UTF-8 byte order mark is not part of the first field's name.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    mutating func next() -> Record? {
        guard index < bytes.count else { return nil }
        var record = Record(line: line, fields: [])
        var field: [UInt8] = []
        var quoted = false
        var afterQuote = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == Self.quote {
                    if index < bytes.count && bytes[index] == Self.quote {
                        field.append(Self.quote)
                        index += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if byte == Self.newline { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case Self.comma:
                record.fields.append(field)
                field = []
                afterQuote = false
            case Self.newline:
                line += 1
                record.fields.append(field)
                return record
            case Self.cr where index < bytes.count && bytes[index] == Self.newline:
                continue
            case Self.quote where field.isEmpty && !afterQuote:
                quoted = true
            default:
                if afterQuote || byte == Self.quote {
                    record.problem = record.problem ?? "a quote inside a field that is not quoted as a whole (RFC 4180: double it and quote the field)"
                }
                field.append(byte)
            }
        }
        if quoted { record.problem = "a quoted field is not closed before the end of the file" }
        record.fields.append(field)
        return record
    }
}

import JSON

/// `.jsonl` input: each non-blank line must be one JSON object.
enum JSONLines {
    static func rows(_ bytes: [UInt8]) -> [InputRow] {
        var rows: [InputRow] = []
        var line = 0
        for slice in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            line += 1
            var text = slice[...]
            if text.last == UInt8(ascii: "\r") { text = text.dropLast() }
            guard text.contains(where: { !isSpace($0) }) else { continue }
            if let problem = problem(text) {
                rows.append(InputRow(line: line, problem: "line \(line): \(problem)"))
            } else {
                rows.append(InputRow(line: line, json: String(decoding: text, as: UTF8.self)))
            }
        }
        return rows
    }

    /// Why `text` is not one JSON object, or nil when it is.
    private static func problem(_ text: ArraySlice<UInt8>) -> String? {
        do {
            guard case .object = try JSONParser.parse(text) else {
                return "not a JSON object (each line must be one object)"
            }
            return nil
        } catch {
            return "malformed JSON at column \(error.offset + 1): \(error.reason)"
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
}

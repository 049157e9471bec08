
/// A strict parser for the TOML subset moonwatch.toml needs: comments,
/// `[table]` and `[a.b]` headers, bare, quoted and dotted keys, and values that
/// are strings (basic and literal), integers, floats, booleans or arrays
/// (which may span lines). Every error names the file and the line.
/// Unsupported TOML (inline tables, arrays of tables, multi-line strings,
/// dates) is refused with a clear message rather than misread.
package struct TOMLParser {
    /// Parses `text`; `file` is used in error messages.
    package static func parse(_ text: String, file: String = "moonwatch.toml") throws(TOMLError) -> TOMLDocument {
        var parser = TOMLParser(bytes: Array(text.utf8), file: file)
        return try parser.parseDocument()
    }

    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    private let bytes: [UInt8]
    private let file: String
    private var index = 0
    private var line = 1
    private var document = TOMLDocument()
    private var currentTable: [String] = []
    /// Where each key path (value or table) was first defined.
    private var defined: [[String]: (line: Int, isTable: Bool, explicit: Bool)] = [:]

    private init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    private func error(_ message: String, line: Int? = nil) -> TOMLError {
        TOMLError("\(file):\(line ?? self.line): \(message)")
    }

    private var atEnd: Bool { index >= bytes.count }
    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func parseDocument() throws(TOMLError) -> TOMLDocument {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        while !atEnd {
            skipSpaces()
            guard let byte = current else { break }
            switch byte {
            case UInt8(ascii: "#"): try skipComment()
            case 0x0A: index += 1; line += 1
            case 0x0D: try expectNewline()
            case UInt8(ascii: "["): try parseTableHeader()
            default: try parseKeyValue()
            }
        }
        return document
    }

    private mutating func skipSpaces() {
        while let byte = current, byte == 0x20 || byte == 0x09 { index += 1 }
    }

    private mutating func skipComment() throws(TOMLError) {
        while let byte = current, byte != 0x0A, byte != 0x0D {
            if byte < 0x20 && byte != 0x09 || byte == 0x7F { throw error("control character in a comment") }
            index += 1
        }
    }

    private mutating func expectNewline() throws(TOMLError) {
        if current == 0x0D {
            index += 1
            guard current == 0x0A else { throw error("a carriage return must be followed by a newline") }
        }
        if current == 0x0A {
            index += 1
            line += 1
        }
    }

    /// After a value or header: spaces, an optional comment, then the end of the line.
    private mutating func expectEndOfLine(after what: String) throws(TOMLError) {
        skipSpaces()
        if current == UInt8(ascii: "#") { try skipComment() }
        guard atEnd || current == 0x0A || current == 0x0D else {
            throw error("unexpected text after \(what); expected the end of the line")
        }
        try expectNewline()
    }

    private mutating func parseTableHeader() throws(TOMLError) {
        let headerLine = line
        index += 1
        if current == UInt8(ascii: "[") {
            throw error("arrays of tables ([[...]]) are not supported in moonwatch.toml")
        }
        skipSpaces()
        let path = try parseKey()
        skipSpaces()
        guard current == UInt8(ascii: "]") else { throw error("expected ']' to close the table header") }
        index += 1
        try expectEndOfLine(after: "the table header")
        let dotted = path.map(TOMLDocument.displayKey).joined(separator: ".")
        if let previous = defined[path] {
            if !previous.isTable {
                throw error("'\(dotted)' is already a value (line \(previous.line)); it cannot also be a table", line: headerLine)
            }
            if previous.explicit {
                throw error("table [\(dotted)] is defined twice (first on line \(previous.line))", line: headerLine)
            }
        }
        try defineParents(of: path, line: headerLine)
        defined[path] = (headerLine, true, true)
        document.tables.append(.init(path: path, line: headerLine))
        currentTable = path
    }

    /// Records the implicit tables above `path`, refusing a path through a value.
    private mutating func defineParents(of path: [String], line entryLine: Int) throws(TOMLError) {
        guard path.count > 1 else { return }
        for length in 1..<path.count {
            let prefix = Array(path.prefix(length))
            if let existing = defined[prefix] {
                if !existing.isTable {
                    let dotted = prefix.map(TOMLDocument.displayKey).joined(separator: ".")
                    throw error("'\(dotted)' is already a value (line \(existing.line)); it cannot hold keys", line: entryLine)
                }
            } else {
                defined[prefix] = (entryLine, true, false)
            }
        }
    }

    private mutating func parseKeyValue() throws(TOMLError) {
        let entryLine = line
        let key = try parseKey()
        skipSpaces()
        guard current == UInt8(ascii: "=") else {
            let dotted = key.map(TOMLDocument.displayKey).joined(separator: ".")
            throw error("expected '=' after key '\(dotted)'")
        }
        index += 1
        skipSpaces()
        let value = try parseValue(depth: 0)
        try expectEndOfLine(after: "the value")
        let path = currentTable + key
        let dotted = path.map(TOMLDocument.displayKey).joined(separator: ".")
        if let previous = defined[path] {
            throw error("key '\(dotted)' is defined twice (first on line \(previous.line))", line: entryLine)
        }
        try defineParents(of: path, line: entryLine)
        defined[path] = (entryLine, false, true)
        document.entries.append(.init(path: path, value: value, line: entryLine))
    }

    private mutating func parseKey() throws(TOMLError) -> [String] {
        var parts: [String] = []
        while true {
            skipSpaces()
            guard let byte = current else { throw error("expected a key") }
            if byte == UInt8(ascii: "\"") {
                parts.append(try parseBasicString())
            } else if byte == UInt8(ascii: "'") {
                parts.append(try parseLiteralString())
            } else if Self.isBareKeyByte(byte) {
                let start = index
                while let next = current, Self.isBareKeyByte(next) { index += 1 }
                parts.append(String(decoding: bytes[start..<index], as: UTF8.self))
            } else {
                throw error("invalid character \(Self.show(byte)) in a key")
            }
            skipSpaces()
            guard current == UInt8(ascii: ".") else { return parts }
            index += 1
        }
    }

    private static func show(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "0x" + String(byte, radix: 16)
    }

    /// How deep arrays may nest: each level is a recursion, so a file of
    /// brackets alone must not be able to exhaust the stack.
    static let maximumArrayDepth = 64

    /// `depth` counts the arrays around the value.
    private mutating func parseValue(depth: Int) throws(TOMLError) -> TOMLValue {
        guard let byte = current, byte != 0x0A, byte != 0x0D else { throw error("expected a value after '='") }
        switch byte {
        case UInt8(ascii: "\""):
            if bytes[index...].starts(with: Array("\"\"\"".utf8)) {
                throw error("multi-line strings are not supported in moonwatch.toml")
            }
            return .string(try parseBasicString())
        case UInt8(ascii: "'"):
            if bytes[index...].starts(with: Array("'''".utf8)) {
                throw error("multi-line strings are not supported in moonwatch.toml")
            }
            return .string(try parseLiteralString())
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "{"): throw error("inline tables are not supported in moonwatch.toml; use a [table] header")
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            let word = readWord()
            if word == "true" { return .bool(true) }
            if word == "false" { return .bool(false) }
            throw error("invalid value '\(word)' (strings need quotes)")
        default:
            return try parseNumber()
        }
    }

    /// Reads up to a delimiter (space, comma, bracket, comment, end of line).
    private mutating func readWord() -> String {
        let start = index
        while let byte = current, byte != 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D,
            byte != UInt8(ascii: ","), byte != UInt8(ascii: "]"), byte != UInt8(ascii: "#")
        {
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func parseNumber() throws(TOMLError) -> TOMLValue {
        let word = readWord()
        guard !word.isEmpty else { throw error("expected a value") }
        if ["inf", "+inf", "-inf", "nan", "+nan", "-nan"].contains(word) {
            throw error("'\(word)' is not a finite number")
        }
        if word.count >= 10, word.dropFirst(4).first == "-", word.prefix(4).allSatisfy(\.isNumber) {
            throw error("dates and times are not supported in moonwatch.toml (quote the value)")
        }
        if word.hasPrefix("0x") || word.hasPrefix("0o") || word.hasPrefix("0b") {
            throw error("hexadecimal, octal and binary integers are not supported in moonwatch.toml")
        }
        guard Self.isValidNumber(word) else { throw error("invalid value '\(word)' (strings need quotes)") }
        let digits = word.filter { $0 != "_" }
        let isFloat = digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
        if !isFloat {
            guard let value = Int64(digits) else { throw error("integer '\(word)' is out of range") }
            return .integer(value)
        }
        guard let value = Double(digits), value.isFinite else { throw error("float '\(word)' is out of range") }
        return .float(value)
    }

    /// TOML decimal integer or float: no leading zeros, `_` only between digits.
    static func isValidNumber(_ word: String) -> Bool {
        var chars = Array(word.utf8)
        if let first = chars.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { chars.removeFirst() }
        func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
        var position = 0
        func digits() -> Bool {
            let start = position
            while position < chars.count {
                if isDigit(chars[position]) {
                    position += 1
                } else if chars[position] == UInt8(ascii: "_"), position > start, position + 1 < chars.count,
                    isDigit(chars[position + 1]), isDigit(chars[position - 1])
                {
                    position += 1
                } else {
                    break
                }
            }
            return position > start
        }
        let integerStart = position
        guard digits() else { return false }
        if chars[integerStart] == UInt8(ascii: "0"), position - integerStart > 1 { return false }
        if position < chars.count, chars[position] == UInt8(ascii: ".") {
            position += 1
            guard digits() else { return false }
        }
        if position < chars.count, chars[position] == UInt8(ascii: "e") || chars[position] == UInt8(ascii: "E") {
            position += 1
            if position < chars.count, chars[position] == UInt8(ascii: "+") || chars[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard digits() else { return false }
        }
        return position == chars.count
    }

    private mutating func parseArray(depth: Int) throws(TOMLError) -> TOMLValue {
        let startLine = line
        guard depth <= Self.maximumArrayDepth else {
            throw error("arrays nest deeper than \(Self.maximumArrayDepth) levels")
        }
        index += 1
        var values: [TOMLValue] = []
        while true {
            try skipArrayFiller()
            guard let byte = current else { throw error("unterminated array (opened on line \(startLine))") }
            if byte == UInt8(ascii: "]") {
                index += 1
                return .array(values)
            }
            values.append(try parseValue(depth: depth))
            try skipArrayFiller()
            guard let next = current else { throw error("unterminated array (opened on line \(startLine))") }
            if next == UInt8(ascii: ",") {
                index += 1
            } else if next != UInt8(ascii: "]") {
                throw error("expected ',' or ']' in an array, found \(Self.show(next))")
            }
        }
    }

    /// Spaces, newlines and comments inside an array.
    private mutating func skipArrayFiller() throws(TOMLError) {
        while let byte = current {
            switch byte {
            case 0x20, 0x09: index += 1
            case 0x0A, 0x0D: try expectNewline()
            case UInt8(ascii: "#"): try skipComment()
            default: return
            }
        }
    }

    private mutating func parseLiteralString() throws(TOMLError) -> String {
        index += 1
        let start = index
        while let byte = current, byte != UInt8(ascii: "'") {
            if byte == 0x0A || byte == 0x0D { throw error("unterminated string") }
            if byte < 0x20 && byte != 0x09 || byte == 0x7F { throw error("control character in a string") }
            index += 1
        }
        guard current == UInt8(ascii: "'") else { throw error("unterminated string") }
        let text = try decodeUTF8(bytes[start..<index])
        index += 1
        return text
    }

    private mutating func parseBasicString() throws(TOMLError) -> String {
        index += 1
        var buffer: [UInt8] = []
        while true {
            guard let byte = current, byte != 0x0A, byte != 0x0D else { throw error("unterminated string") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return try decodeUTF8(buffer[...])
            case UInt8(ascii: "\\"):
                guard let escape = current else { throw error("unterminated string") }
                index += 1
                switch escape {
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "e"): buffer.append(0x1B)
                case UInt8(ascii: "\""): buffer.append(0x22)
                case UInt8(ascii: "\\"): buffer.append(0x5C)
                case UInt8(ascii: "u"): buffer.append(contentsOf: try parseUnicodeEscape(digits: 4))
                case UInt8(ascii: "U"): buffer.append(contentsOf: try parseUnicodeEscape(digits: 8))
                default:
                    let shown = escape >= 0x21 && escape < 0x7F ? String(Character(Unicode.Scalar(escape))) : Self.show(escape)
                    throw error("invalid escape '\\\(shown)' in a string")
                }
            default:
                if byte < 0x20 && byte != 0x09 || byte == 0x7F { throw error("control character in a string") }
                buffer.append(byte)
            }
        }
    }

    private mutating func parseUnicodeEscape(digits: Int) throws(TOMLError) -> [UInt8] {
        // Hex digits only: UInt32(_:radix:) would also take a sign ("\u+041").
        let hexDigits = index + digits <= bytes.count ? bytes[index..<index + digits] : []
        guard hexDigits.count == digits, hexDigits.allSatisfy({ UInt8(ascii: "0")...UInt8(ascii: "9") ~= $0 || UInt8(ascii: "a")...UInt8(ascii: "f") ~= $0 | 0x20 }),
            let value = UInt32(String(decoding: hexDigits, as: UTF8.self), radix: 16),
            let scalar = Unicode.Scalar(value)
        else { throw error("invalid unicode escape in a string") }
        index += digits
        return Array(String(Character(scalar)).utf8)
    }

    private func decodeUTF8(_ slice: ArraySlice<UInt8>) throws(TOMLError) -> String {
        guard let text = String(validating: slice, as: UTF8.self) else { throw error("invalid UTF-8 in a string") }
        return text
    }
}

import TOML

/// The TOML reader's property: any text either parses to a document whose
/// entries and tables name lines of the text, with no key defined twice, or
/// fails with an error naming the file and a line of the text.
package enum TOMLInvariants {
    static let file = "fuzz.toml"

    package static func check(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = 1...(text.utf8.count { $0 == 0x0A } + 1)
        let document: TOMLDocument
        do {
            document = try TOMLParser.parse(text, file: file)
        } catch {
            guard let line = line(of: error.message), lines.contains(line) else {
                fatalError("TOMLParser: the error \"\(error.message)\" names no line of the \(lines.upperBound)-line text")
            }
            return
        }
        var seen: Set<[String]> = []
        for entry in document.entries {
            guard lines.contains(entry.line) else {
                fatalError("TOMLParser: entry \(entry.dottedPath) is on line \(entry.line), outside the \(lines.upperBound)-line text")
            }
            guard seen.insert(entry.path).inserted else {
                fatalError("TOMLParser: entry \(entry.dottedPath) appears twice in the document")
            }
        }
        for table in document.tables where !lines.contains(table.line) {
            fatalError("TOMLParser: table [\(table.dottedPath)] is on line \(table.line), outside the \(lines.upperBound)-line text")
        }
    }

    /// The line in a message of the form `fuzz.toml:LINE: ...`.
    private static func line(of message: String) -> Int? {
        guard message.hasPrefix(file + ":") else { return nil }
        return Int(message.dropFirst(file.count + 1).prefix { $0.isNumber })
    }
}

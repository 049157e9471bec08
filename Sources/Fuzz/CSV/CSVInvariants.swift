import Foundation
import Journal

/// The CSV reader's property: any bytes read as a `.csv` batch input give rows
/// on strictly increasing lines of the file, each either a problem or a JSON
/// object, never both.
package enum CSVInvariants {
    /// `InputFile` reads a path (the journal hashes what it reads), so each input
    /// goes through one scratch file per process, removed after each run.
    static let path = NSTemporaryDirectory() + "moonwatch-fuzz-csv-\(ProcessInfo.processInfo.processIdentifier).csv"

    package static func check(_ bytes: [UInt8]) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            fatalError("FuzzCSV: cannot write the scratch file \(path)")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let input: InputFile
        do {
            input = try InputFile(path: path)
        } catch {
            fatalError("FuzzCSV: InputFile refused the scratch file \(path): \(error)")
        }
        guard input.identity.size == bytes.count else {
            fatalError("InputFile: identity size \(input.identity.size) for a \(bytes.count)-byte file")
        }
        let lines = 1...(bytes.count { $0 == 0x0A } + 1)
        var previous = 0
        for row in input.rows() {
            guard row.line > previous, lines.contains(row.line) else {
                fatalError("CSVTable: a row on line \(row.line) after line \(previous), in a \(lines.upperBound)-line file")
            }
            previous = row.line
            switch (row.json, row.problem) {
            case (let json?, nil):
                let object = try? JSONSerialization.jsonObject(with: Data(json.utf8))
                guard object is [String: Any] else { fatalError("CSVTable: line \(row.line) became \(json), not a JSON object") }
            case (nil, let problem?):
                guard problem.hasPrefix("line \(row.line): ") else {
                    fatalError("CSVTable: the problem \"\(problem)\" does not name its line \(row.line)")
                }
            default:
                fatalError("CSVTable: line \(row.line) has json \(String(describing: row.json)) and problem \(String(describing: row.problem))")
            }
        }
    }
}

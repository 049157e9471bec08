import Crypto
import Foundation

/// A batch's input file: its identity and its rows.
///
/// `.jsonl`: one JSON object per line (blank lines are skipped). `.csv`: a
/// header row, then one item per record, RFC 4180 quoting. A row that cannot be
/// read becomes an ``InputRow`` with a problem naming its line; it counts as a
/// failed item and the rest of the batch runs.
package struct InputFile: Sendable {
    package enum Format: Sendable { case jsonLines, csv }

    package let identity: InputIdentity
    package let format: Format
    private let bytes: [UInt8]

    /// Reads the whole file (rows are stored in the journal on the first run, so
    /// the file is read once per run: for its hash, and its rows when new).
    package init(path: String) throws(JournalError) {
        let lowered = path.lowercased()
        if lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") {
            format = .jsonLines
        } else if lowered.hasSuffix(".csv") {
            format = .csv
        } else {
            throw JournalError("--input \(path): the name must end in .jsonl or .csv")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JournalError("cannot read the input file \(path)")
        }
        bytes = [UInt8](data)
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        identity = InputIdentity(path: path, size: bytes.count, sha256: digest)
    }

    /// The rows, bad ones included, in file order.
    package func rows() -> [InputRow] {
        switch format {
        case .jsonLines: return JSONLines.rows(bytes)
        case .csv: return CSVTable.rows(bytes)
        }
    }
}

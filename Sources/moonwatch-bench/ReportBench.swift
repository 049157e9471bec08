import Batch
import Foundation
import Journal
import Report

/// The cost of `report.html` for a large batch: a SQLite journal of `items`
/// items (5% failed in a dozen groups, the others with two or three pictures),
/// then report.jsonl (the reference: the same journal read, one line per item)
/// and report.html written from it, 5 samples each.
/// Targets (10,000 items, 20,000 pictures): report.html under 2 s and 5 MB.
enum ReportBench {
    static func run(folder: String, items: Int) throws -> Int32 {
        let out = folder + "/out"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let journal = try SQLiteJournal(path: folder + "/state.sqlite")
        let pictures = try fill(journal, items: items, out: out)
        let output = BatchOutput(outDirectory: out)
        let header = ReportHeader(
            command: "moonwatch-bench report", started: Date(), ended: Date(), exitStatus: 0, version: "bench")
        var jsonl: [Double] = [], html: [Double] = []
        for _ in 0..<5 {
            jsonl.append(try seconds { try output.writeReport(from: journal) })
            html.append(try seconds { try output.writePage(from: journal, header: header, counters: nil) })
        }
        let size = (try FileManager.default.attributesOfItem(atPath: output.pagePath)[.size] as? Int) ?? 0
        let page = median(html), megabytes = Double(size) / 1_000_000
        print("journal: \(items) items, \(pictures) pictures")
        print(String(format: "report.jsonl (reference, same journal): %.3f s median of 5", median(jsonl)))
        print(String(format: "report.html: %.3f s median of 5 (%.1f× report.jsonl), %.2f MB", page, page / median(jsonl), megabytes))
        let met = page < 2 && megabytes < 5
        print("targets: under 2 s and 5 MB -> \(met ? "OK" : "MISSED")")
        return met ? 0 : 1
    }

    /// Every item claimed and finished as a batch would, through the journal's own calls.
    private static func fill(_ journal: SQLiteJournal, items: Int, out: String) throws -> Int {
        let rows = (1...items).map { InputRow(line: $0, json: #"{"service": "tryon", "id": "\#(100_000 + $0)"}"#) }
        _ = try journal.prepare(input: InputIdentity(path: "items.jsonl", size: items, sha256: "bench")) { rows }
        let claimed = try journal.claim(owner: "bench", limit: items, leaseSeconds: 3600)
        var pictures = 0
        for item in claimed {
            if item.line % 20 == 0 {
                let code = "MSS.000100\(String(format: "%02d", item.line / 20 % 12))"
                _ = try journal.fail(
                    line: item.line, owner: "bench",
                    error: ItemError("The picture resolution is too low. (\(code))", kind: "failed", code: code))
                continue
            }
            let name = String(100_000 + item.line)
            var files = [
                DownloadRecord(path: "\(out)/tryon/\(name)-pose.jpg", bytes: 180_000 + item.line, sha256: digest(item.line, 1)),
                DownloadRecord(path: "\(out)/tryon/\(name)-show.png", bytes: 650_000 + item.line, sha256: digest(item.line, 2)),
            ]
            // One item in ten has a third picture: 20,000 for 10,000 items of which 500 failed.
            if item.line % 10 == 1 {
                files.append(DownloadRecord(path: "\(out)/tryon/\(name)-mask.webp", bytes: 9_000, sha256: digest(item.line, 3)))
            }
            pictures += files.count
            let records = files.map { #"{"service":"tryon","job":"\#(name)","file":"\#($0.path)","bytes":\#($0.bytes),"sha256":"\#($0.sha256!)"}"# }
            _ = try journal.complete(line: item.line, owner: "bench", records: records, downloads: files)
        }
        return pictures
    }

    private static func digest(_ line: Int, _ file: Int) -> String {
        var value = UInt64(line * 7 + file) &* 0x9E37_79B9_7F4A_7C15
        return (0..<4).map { _ in
            value = value &* 6364136223846793005 &+ 1442695040888963407
            return String(format: "%016llx", value)
        }.joined()
    }

    private static func seconds(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    private static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}

import Crypto
import Foundation
import JSON

/// A picture a script added with `emit{image = "path"}`: a file under OUT,
/// named relative to it (the emit call checked that).
enum EmittedImage {
    /// The record's `image`, if it has one.
    static func named(in record: String) -> String? {
        // Most records carry no image: skip parsing those.
        guard mentionsImage(record) else { return nil }
        return (try? JSONParser.parse(record))?["image"]?.stringValue
    }

    /// Whether `"image"` occurs in the text: a plain byte scan, since the
    /// standard library's and Foundation's substring searches cost more than
    /// the rest of a 10,000-item report.
    private static func mentionsImage(_ record: String) -> Bool {
        let key: [UInt8] = Array(#""image""#.utf8)
        var text = record
        return text.withUTF8 { bytes in
            guard bytes.count >= key.count else { return false }
            for start in 0...(bytes.count - key.count) where bytes[start] == key[0] {
                var matched = 1
                while matched < key.count && bytes[start + matched] == key[matched] { matched += 1 }
                if matched == key.count { return true }
            }
            return false
        }
    }

    /// The file with its size and SHA-256 read now (no download verified them);
    /// 0 bytes and no digest when it is gone.
    static func file(_ relative: String, outDirectory: String) -> ReportFile {
        let path = outDirectory + "/" + relative
        guard let data = FileManager.default.contents(atPath: path) else {
            return ReportFile(path: path, bytes: 0, sha256: nil, emitted: true)
        }
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        return ReportFile(path: path, bytes: data.count, sha256: digest, emitted: true)
    }
}

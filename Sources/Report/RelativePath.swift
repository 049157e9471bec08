import Foundation

/// Links from the report to the files, relative to the page's folder.
struct RelativePath {
    /// The page's folder, absolute and normalized.
    let folder: String
    private let folderComponents: [Substring]

    init(folder: String) {
        self.folder = Self.absolute(folder)
        folderComponents = self.folder.split(separator: "/")
    }

    /// `path` made absolute against the working directory, without `.`, `..` or `//`.
    static func absolute(_ path: String, workingDirectory: String = FileManager.default.currentDirectoryPath) -> String {
        let joined = path.hasPrefix("/") ? path : workingDirectory + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// A URL path from the folder to `file`, each component percent-encoded and
    /// starting with `./` or `../`, so no file name can read as a scheme
    /// (`javascript:`), a query or a fragment. The result holds only RFC 3986's
    /// unreserved characters, `%` and `/`: nothing in it needs HTML escaping.
    func link(to file: String) -> String {
        // The common case, a file under the folder named plainly: no splitting.
        if file.hasPrefix(folder), file.utf8.dropFirst(folder.utf8.count).first == UInt8(ascii: "/"),
           !file.contains("/./"), !file.contains("/../"), !file.contains("//") {
            return "./" + Self.encoded(file.utf8.dropFirst(folder.utf8.count + 1))
        }
        let target = Self.absolute(file).split(separator: "/")
        var shared = 0
        while shared < min(target.count - 1, folderComponents.count), target[shared] == folderComponents[shared] { shared += 1 }
        let up = folderComponents.count - shared
        let down = target[shared...].map { Self.encoded($0.utf8) }
        return (up == 0 ? ["."] : Array(repeating: "..", count: up)).joined(separator: "/") + "/" + down.joined(separator: "/")
    }

    /// Percent-encodes every byte but RFC 3986's unreserved characters and `/`.
    private static func encoded(_ bytes: some Sequence<UInt8>) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

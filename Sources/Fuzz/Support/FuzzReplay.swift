import Foundation

/// Feeds saved inputs (a seed corpus, crash reproducers) to a fuzz target's
/// callback, outside libFuzzer: how the smoke run and the regression tests
/// replay them with an ordinary build.
public enum FuzzReplay {
    /// Why a replay could not read its inputs.
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "cannot read the fuzz input \(path)" }
    }

    /// The files under `paths` (files as given, folders recursively, hidden
    /// files skipped), in path order.
    public static func inputs(_ paths: [String]) throws(Failure) -> [String] {
        var files: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw Failure(path: path) }
            guard isFolder.boolValue else {
                files.append(path)
                continue
            }
            guard let walker = FileManager.default.enumerator(atPath: path) else { throw Failure(path: path) }
            for case let relative as String in walker {
                let full = (path as NSString).appendingPathComponent(relative)
                var isSubfolder: ObjCBool = false
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") || !FileManager.default.fileExists(atPath: full, isDirectory: &isSubfolder) { continue }
                if !isSubfolder.boolValue { files.append(full) }
            }
        }
        return files.sorted()
    }

    /// Calls `testOneInput` with each input's bytes; returns how many it ran.
    public static func run(_ paths: [String], through testOneInput: FuzzEntry.TestOneInput) throws(Failure) -> Int {
        let files = try inputs(paths)
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { throw Failure(path: file) }
            _ = data.withUnsafeBytes { buffer in
                testOneInput(buffer.bindMemory(to: UInt8.self).baseAddress, buffer.count)
            }
        }
        return files.count
    }
}

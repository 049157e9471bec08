import Foundation
import Lua

/// `emit{image = "path"}`: a picture the script made or chose, for the report's
/// gallery. It must already be a file under the out directory, named relative
/// to it, so the out folder stays self-contained when it is shared.
enum EmittedImagePath {
    /// `path` when it names a regular file inside `outDirectory` (symlinks
    /// resolved); else an `invalid_argument` error saying what is wrong.
    static func checked(_ path: String, outDirectory: String) throws(ScriptError) -> String {
        func refuse(_ problem: String) -> ScriptError {
            ScriptError(.invalidArgument, "emit: image '\(path)' \(problem)")
        }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.isEmpty, !path.hasPrefix("/"), !components.contains("..") else {
            throw refuse("must be a path relative to the out directory (\(outDirectory)), without '..'")
        }
        let full = outDirectory + "/" + path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue else {
            throw refuse("is not a file under the out directory (\(full) does not exist)")
        }
        let real = URL(fileURLWithPath: full).resolvingSymlinksInPath().path
        let root = URL(fileURLWithPath: outDirectory).resolvingSymlinksInPath().path
        guard real.hasPrefix(root + "/") else { throw refuse("leads outside the out directory (to \(real))") }
        return path
    }
}

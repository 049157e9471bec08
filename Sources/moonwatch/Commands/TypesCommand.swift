import ArgumentParser
import Bindings
import Foundation

/// `moonwatch types`: writes the Lua language-server definitions of the API.
struct TypesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "types",
        abstract: "Write Lua language-server definitions for the API.",
        discussion: """
            Writes DIR/\(LuaDefinitions.fileName): LuaLS annotations for api, http, task, log, json, \
            emit, args and the batch functions. Point an editor at it with \
            {"workspace.library": ["DIR"]} in .luarc.json.
            """
    )

    @Option(help: "The folder to write into (created when missing).", completion: .directory)
    var out: String = "types"

    func run() throws {
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        let file = folder.appendingPathComponent(LuaDefinitions.fileName)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(LuaDefinitions.text.utf8).write(to: file, options: .atomic)
        } catch {
            Console.error("cannot write \(file.path): \(error.localizedDescription)")
            throw ExitCode(1)
        }
        print(file.path)
    }
}

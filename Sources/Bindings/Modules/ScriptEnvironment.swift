import Logging
import Lua
import Runtime

/// The script modules that need no service: `log`, `emit` and `args` (docs/contract.md §2.4).
/// (`json` is lua-cjson, opened with the sandbox.)
public enum ScriptEnvironment {
    /// Installs the modules into `runtime`, with `emit` sending its records to
    /// `records`: a ``RecordWriter`` for `moonwatch run`; `moonwatch batch` keeps
    /// them with their item until it is committed.
    /// - Parameter arguments: the script's arguments, as the global `args`.
    public static func install(in runtime: Runtime, arguments: [String], records: any RecordSink) throws(ScriptError) {
        let logger = runtime.logger
        try runtime.state.setGlobal("args", .table(LuaTable(array: arguments.map { .string($0) })))
        try runtime.evaluate(source, name: "environment", host: [
            Runtime.raiseFunction,
            ("write_log", { call throws(ScriptError) in
                let level = Logger.Level(rawValue: try call.string(1)) ?? .info
                let message = try call.string(2)
                logger.log(level: level, "\(message)", metadata: ["at": "\(call.scriptLocation)"])
                return .none
            }),
            /// append_record(json, image): image is the record's `image` field, or nil.
            ("append_record", { call throws(ScriptError) in
                try call.checkType(1, .string)
                var image: String?
                if call.type(2) != .nil {
                    guard call.type(2) == .string else {
                        throw ScriptError(.invalidArgument, "emit: field 'image' must be a path under the out directory, got \(call.type(2).name)")
                    }
                    image = try EmittedImagePath.checked(try call.string(2), outDirectory: records.outDirectory)
                }
                try records.append(call.stack.bytes(at: 1) ?? [], image: image)
                return .none
            }),
        ])
    }

    static let source = #"""
local host = ...
local format, pcall, type, tostring, rawget = string.format, pcall, type, tostring, rawget
local encode = json.encode

local function write(level, fmt, ...)
  local ok, text = pcall(format, fmt, ...)
  if not ok then host.raise("invalid_argument", "log." .. level .. ": " .. tostring(text)) end
  host.write_log(level, text)
end

-- log.debug/info/warn/error(fmt, ...): string.format style, to standard error.
log = {
  debug = function(fmt, ...) write("debug", fmt, ...) end,
  info = function(fmt, ...) write("info", fmt, ...) end,
  warn = function(fmt, ...) write("warning", fmt, ...) end,
  error = function(fmt, ...) write("error", fmt, ...) end,
}

-- emit(record): appends the record as one JSON line to OUT/records.jsonl (through the record sink).
-- A record's `image`, a file under OUT, joins the report's gallery.
function emit(record)
  if type(record) ~= "table" then
    host.raise("invalid_argument", "bad argument #1 to 'emit' (table expected, got " .. type(record) .. ")")
  end
  local ok, line = pcall(encode, record)
  if not ok then host.raise("invalid_argument", "emit: the record cannot be written as JSON: " .. tostring(line)) end
  host.append_record(line, rawget(record, "image"))
end
"""#
}

import JSON

/// A TOML value of the subset moonwatch.toml uses.
package indirect enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case bool(Bool)
    case array([TOMLValue])

    /// The TOML type name, for error messages.
    package var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .bool: "a boolean"
        case .array: "an array"
        }
    }
}

/// A parsed TOML file, flattened: every key with its full dotted path and the
/// line it was defined on, plus every `[table]` header with its line.
package struct TOMLDocument: Sendable, Equatable {
    /// One `key = value` line.
    package struct Entry: Sendable, Equatable {
        /// Table path plus key path, e.g. `["huaweicloud", "iam", "endpoint"]`.
        package var path: [String]
        package var value: TOMLValue
        /// 1-based line number.
        package var line: Int

        package var dottedPath: String { path.map(TOMLDocument.displayKey).joined(separator: ".") }
    }

    /// One `[a.b]` header.
    package struct Table: Sendable, Equatable {
        package var path: [String]
        package var line: Int
        package var dottedPath: String { path.map(TOMLDocument.displayKey).joined(separator: ".") }
    }

    package var entries: [Entry] = []
    package var tables: [Table] = []

    /// The entry at `path`, if any.
    package func entry(_ path: [String]) -> Entry? { entries.first { $0.path == path } }

    package static func displayKey(_ key: String) -> String {
        let bare = !key.isEmpty && key.utf8.allSatisfy { TOMLParser.isBareKeyByte($0) }
        return bare ? key : JSONValue.quoted(key)
    }
}

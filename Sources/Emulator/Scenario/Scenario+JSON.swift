import Foundation

extension Scenario {
    /// Decodes a scenario file, with errors that name the offending key path.
    package static func decode(from data: Data) throws -> Scenario {
        do {
            return try JSONDecoder().decode(Scenario.self, from: data)
        } catch let error as DecodingError {
            throw ScenarioError(describe(error))
        }
    }

    /// Reads a scenario file.
    package static func load(contentsOf url: URL) throws -> Scenario {
        try decode(from: try Data(contentsOf: url))
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "scenario" : "scenario" + text
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(path(context)): missing key \"\(key.stringValue)\""
        @unknown default:
            return "\(error)"
        }
    }
}

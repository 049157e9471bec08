import JSON

/// The JSON parser's property: any bytes either fail with a ``JSONParser/Failure``
/// inside the input, or parse to a value whose serialized text parses back to
/// the same value.
package enum JSONRoundTrip {
    package static func check(_ bytes: [UInt8]) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            guard (0...bytes.count).contains(error.offset) else {
                fatalError("JSONParser: failure offset \(error.offset) outside the \(bytes.count)-byte input (\(error))")
            }
            return
        }
        let text = value.serialized
        do {
            let again = try JSONParser.parse(text)
            guard again == value else {
                fatalError("JSONParser: \(text) parses to \(again), not to the value it was written from (\(value))")
            }
        } catch {
            fatalError("JSONParser: its own output \(text) does not parse: \(error)")
        }
    }
}

/// A JSON value as a server sent it: integers stay integers (`Int64`), numbers
/// with a fraction or exponent (or too large for `Int64`) are `Double`, and
/// objects keep their keys in the order the server sent them.
///
/// Responses reach Lua as these values, under their original field names.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

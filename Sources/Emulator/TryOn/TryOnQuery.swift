import Foundation
import NIOCore

/// The three fields of a `get_result` query, from whichever shape the client sent: a JSON body
/// (with or without Content-Type, as the seed's `data=json.dumps(params)` sends it), a form
/// body, or query parameters (GET).
struct TryOnQuery: Equatable {
    let openID: String
    let apiKey: String
    let infID: Int64

    enum Problem: Error, Equatable {
        case missing(String)
        case invalidInfID(String)
    }

    static func parse(query: QueryString, body: ByteBuffer) -> Result<TryOnQuery, Problem> {
        var fields: [String: String] = [:]
        for pair in query.pairs { fields[pair.key] = pair.value }
        let bytes = Array(body.readableBytesView)
        let firstByte = bytes.first { $0 != 0x20 && $0 != 0x0a && $0 != 0x0d && $0 != 0x09 }
        if firstByte == UInt8(ascii: "{"),
            let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
        {
            for (key, value) in object {
                switch value {
                case let text as String: fields[key] = text
                case let number as NSNumber: fields[key] = number.stringValue
                default: break
                }
            }
        } else if !bytes.isEmpty {
            for pair in QueryString(String(decoding: bytes, as: UTF8.self)).pairs { fields[pair.key] = pair.value }
        }
        guard let openID = fields["openId"], !openID.isEmpty else { return .failure(.missing("openId")) }
        guard let apiKey = fields["apiKey"], !apiKey.isEmpty else { return .failure(.missing("apiKey")) }
        guard let rawInfID = fields["infId"], !rawInfID.isEmpty else { return .failure(.missing("infId")) }
        guard let infID = Int64(rawInfID) else { return .failure(.invalidInfID(rawInfID)) }
        return .success(TryOnQuery(openID: openID, apiKey: apiKey, infID: infID))
    }
}

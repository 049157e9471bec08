import JSON
import NIOCore

/// The body of `POST .../picture-modelings`: a JSON object `{"name", "style_id", "notify_url"?}`,
/// or a `multipart/form-data` form with the same fields as parts beside the photo (`file`),
/// which the emulator does not look at. Fields it does not know are ignored. `notify_url` is
/// checked but never called: the emulator notifies no one, clients poll.
struct ModelingRequest: Equatable {
    let name: String
    let styleID: String

    /// Why a body was refused: the detail of MetaStudio's 400, naming the field where there is one.
    struct Problem: Error, Equatable {
        let detail: String

        init(_ detail: String) { self.detail = detail }
    }

    /// A field as the body gave it: text, or a JSON value of another type.
    private enum Field {
        case text(String)
        case notText
    }

    init(contentType: String?, body: ByteBuffer) throws(Problem) {
        guard body.readableBytes > 0 else { throw Problem("the request body is empty") }
        let bytes = Array(body.readableBytesView)
        let type = contentType.map(HeaderValue.init)
        let fields: [String: Field]
        switch type?.value {
        case "application/json":
            guard let object = (try? JSONParser.parse(bytes))?.objectValue else { throw Problem("the body is not a JSON object") }
            fields = Dictionary(uniqueKeysWithValues: object.pairs.map { ($0.key, $0.value.stringValue.map(Field.text) ?? .notText) })
        case "multipart/form-data":
            guard let boundary = type?.parameters["boundary"], !boundary.isEmpty else {
                throw Problem("Content-Type multipart/form-data needs a boundary")
            }
            guard let form = MultipartForm(bytes, boundary: boundary) else { throw Problem("the multipart/form-data body is malformed") }
            // The first part of a name counts.
            fields = Dictionary(form.parts.map { ($0.name, Field.text($0.text)) }, uniquingKeysWith: { first, _ in first })
        default:
            throw Problem("Content-Type \(contentType ?? "(none)") is not application/json or multipart/form-data")
        }
        guard let name = try Self.text("name", in: fields) else { throw Problem("name is required") }
        guard (1...64).contains(name.count) else { throw Problem("name must be 1 to 64 characters") }
        guard let styleID = try Self.text("style_id", in: fields) else { throw Problem("style_id is required") }
        guard !styleID.isEmpty else { throw Problem("style_id must not be empty") }
        if let notifyURL = try Self.text("notify_url", in: fields), !notifyURL.hasPrefix("http://"), !notifyURL.hasPrefix("https://") {
            throw Problem("notify_url must start with http:// or https://")
        }
        self.name = name
        self.styleID = styleID
    }

    private static func text(_ key: String, in fields: [String: Field]) throws(Problem) -> String? {
        switch fields[key] {
        case nil: nil
        case .text(let text): text
        case .notText: throw Problem("\(key) must be a string")
        }
    }
}

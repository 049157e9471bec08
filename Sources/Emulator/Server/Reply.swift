import Hummingbird
import NIOCore

/// What a route handler answers. Unlike Hummingbird's `Response` its body stays inspectable,
/// so the pipeline can apply faults (malformed JSON, truncation, reset) after the handler ran.
struct Reply: Sendable {
    enum Body: Sendable {
        case empty
        case bytes(ByteBuffer)
        /// A range of a generated file, streamed in chunks.
        case object(StoredObject, Range<Int>)
    }

    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: Body

    init(status: HTTPResponse.Status, headers: HTTPFields = [:], body: Body = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Reply {
        Reply(status: status, headers: [.contentType: "application/json;charset=UTF-8"], body: .bytes(ByteBuffer(string: text)))
    }

    static func html(_ status: HTTPResponse.Status, _ text: String) -> Reply {
        Reply(status: status, headers: [.contentType: "text/html"], body: .bytes(ByteBuffer(string: text)))
    }

    static func xml(_ status: HTTPResponse.Status, _ text: String) -> Reply {
        Reply(status: status, headers: [.contentType: "application/xml"], body: .bytes(ByteBuffer(string: text)))
    }

    static func text(_ status: HTTPResponse.Status, _ text: String, contentType: String = "text/plain; charset=utf-8") -> Reply {
        Reply(status: status, headers: [.contentType: contentType], body: .bytes(ByteBuffer(string: text)))
    }

    /// Bytes the body holds (for a streamed object, the range's length).
    var bodyLength: Int {
        switch body {
        case .empty: 0
        case .bytes(let buffer): buffer.readableBytes
        case .object(_, let range): range.count
        }
    }
}

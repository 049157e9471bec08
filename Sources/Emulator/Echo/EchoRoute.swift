import Hummingbird
import JSON
import NIOCore

/// `/_emulator/echo` and `/_emulator/echo/...` (GET, HEAD, POST, PUT, PATCH, DELETE; no
/// authentication): answers with the request itself, so tests of plain HTTP clients (redirects,
/// retries, timeouts, size limits, non-JSON answers) need no service of their own:
///
/// ```json
/// {"method": "POST", "path": "/_emulator/echo/a", "query": {"status": "500"},
///  "headers": {"host": "127.0.0.1:8080", "content-type": "text/plain"}, "body": "hello"}
/// ```
/// The query is decoded and the headers' names lower-cased; a repeated parameter or header
/// has its values joined with ", "; the body is read as UTF-8 (invalid bytes replaced).
/// Query parameters steer the answer (``EchoControls``): `status`, `delay_ms`, `redirect`
/// (a relative `Location` with one hop fewer, or `loop`), `redirect_status`, `bytes` (a
/// `padding` field that long) and `content_type` (a type that is not JSON answers the
/// request body alone). Being faultable, the route also takes fault rules on `echo`.
struct EchoRoute: Sendable {
    static let maxBody = 16 << 20

    func handle(_ req: ServiceRequest) async throws -> Reply {
        let controls: EchoControls
        do {
            controls = try EchoControls(req.query)
        } catch {
            return Self.problem(.badRequest, error.message)
        }
        let body: ByteBuffer
        do {
            body = try await req.request.body.collect(upTo: Self.maxBody)
        } catch is NIOTooManyBytesError {
            return Self.problem(.contentTooLarge, "the request body is larger than 16 MiB")
        }
        if controls.delayMs > 0 {
            // A client that gives up may cut the wait short; the answer then goes nowhere.
            try? await Task.sleep(for: .milliseconds(controls.delayMs))
        }
        var reply = content(req, body: body, controls: controls)
        if let redirect = controls.redirect {
            reply.status = HTTPResponse.Status(code: controls.redirectStatus)
            reply.headers[.location] = location(req, redirect)
        }
        if [204, 205, 304].contains(reply.status.code) {
            reply.body = .empty
        }
        if req.request.method == .head {
            // HEAD announces the length it would send; Hummingbird keeps an explicit header.
            reply.headers[.contentLength] = String(reply.bodyLength)
            reply.body = .empty
        }
        return reply
    }

    /// The echo as JSON, or the request body alone under a Content-Type that is not JSON.
    private func content(_ req: ServiceRequest, body: ByteBuffer, controls: EchoControls) -> Reply {
        let status = HTTPResponse.Status(code: controls.status)
        let contentType = controls.contentType ?? "application/json"
        let type = HeaderValue(contentType).value
        guard type == "application/json" || type.hasSuffix("+json") else {
            return Reply(status: status, headers: [.contentType: contentType], body: .bytes(body))
        }
        var echo = JSONObject()
        echo["method"] = .string(req.request.method.rawValue)
        echo["path"] = .string(req.request.uri.path)
        echo["query"] = .object(Self.joined(req.query.pairs.map { ($0.key, $0.value) }))
        let host = req.request.head.authority.map { [("host", $0)] } ?? []
        echo["headers"] = .object(Self.joined(host + req.request.headers.map { ($0.name.canonicalName, $0.value) }))
        echo["body"] = .string(String(decoding: body.readableBytesView, as: UTF8.self))
        let text = echo.serialized
        guard let padding = controls.paddingBytes else {
            return Reply(status: status, headers: [.contentType: contentType], body: .bytes(ByteBuffer(string: text)))
        }
        // Written straight into the buffer: up to 64 MiB of "x" needs no escaping.
        var buffer = ByteBuffer()
        buffer.reserveCapacity(text.utf8.count + padding + 16)
        buffer.writeString(String(text.dropLast()))
        buffer.writeString(",\"padding\":\"")
        buffer.writeRepeatingByte(UInt8(ascii: "x"), count: padding)
        buffer.writeString("\"}")
        return Reply(status: status, headers: [.contentType: contentType], body: .bytes(buffer))
    }

    /// The same path and query, with `redirect` one hop lower (gone at 0) unless it loops.
    private func location(_ req: ServiceRequest, _ redirect: EchoControls.Redirect) -> String {
        let path = req.request.uri.path
        guard let query = req.request.uri.query, !query.isEmpty else { return path }
        guard case .hops(let hops) = redirect else { return path + "?" + query }
        let items = query.split(separator: "&", omittingEmptySubsequences: false).compactMap { item -> String? in
            let key = PercentEncoding.decode(item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0])
            guard key == "redirect" else { return String(item) }
            return hops > 1 ? "redirect=\(hops - 1)" : nil
        }
        return items.isEmpty ? path : path + "?" + items.joined(separator: "&")
    }

    /// An object of `pairs`, the values of a repeated name joined with ", ".
    private static func joined(_ pairs: [(String, String)]) -> JSONObject {
        var object = JSONObject()
        for (name, value) in pairs {
            object[name] = .string(object[name]?.stringValue.map { "\($0), \(value)" } ?? value)
        }
        return object
    }

    /// The route's own error body, as the admin routes write theirs.
    static func problem(_ status: HTTPResponse.Status, _ message: String) -> Reply {
        .json(status, "{\"error\":\(JSONValue.quoted(message))}")
    }
}

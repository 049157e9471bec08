import Hummingbird

/// Serves a generated file with the headers download clients rely on: Content-Length, ETag
/// (the MD5), Last-Modified, Accept-Ranges, and single `Range` requests (206 / 416), honoured
/// only when `If-Range` (an ETag or the Last-Modified date) still matches.
struct ObjectResponder: Sendable {
    let state: EmulatorState

    func serve(_ object: StoredObject, _ req: ServiceRequest, requestIDHeader: HeaderName) -> Reply {
        let digests = state.digests.digests(of: object)
        let lastModified = RFC3339.httpDate(object.lastModified)
        var headers: HTTPFields = [
            .contentType: object.contentType,
            .eTag: digests.etag,
            .lastModified: lastModified,
            .acceptRanges: "bytes",
        ]
        headers[requestIDHeader] = req.requestID
        var range = req.faults.ignoreRange ? .whole : ByteRange(header: req.header(.range), size: object.size)
        if let validator = req.header(.ifRange), validator != digests.etag, validator != lastModified {
            range = .whole
        }
        let isHead = req.request.method == .head
        switch range {
        case .unsatisfiable:
            if isHead {
                headers[.contentRange] = "bytes */\(object.size)"
                return Reply(status: .rangeNotSatisfiable, headers: headers)
            }
            var reply = Reply.objectStorageError(
                .rangeNotSatisfiable,
                code: "InvalidRange",
                message: "The requested range cannot be satisfied.",
                requestID: req.requestID
            )
            reply.headers[.contentRange] = "bytes */\(object.size)"
            return reply
        case .whole:
            return body(object, 0..<object.size, status: .ok, headers: headers, isHead: isHead)
        case .partial(let bytes):
            headers[.contentRange] = "bytes \(bytes.lowerBound)-\(bytes.upperBound - 1)/\(object.size)"
            return body(object, bytes, status: .partialContent, headers: headers, isHead: isHead)
        }
    }

    private func body(_ object: StoredObject, _ bytes: Range<Int>, status: HTTPResponse.Status, headers: HTTPFields, isHead: Bool) -> Reply {
        var headers = headers
        if isHead {
            // HEAD announces the length it would send; Hummingbird keeps an explicit header.
            headers[.contentLength] = String(bytes.count)
            return Reply(status: status, headers: headers)
        }
        return Reply(status: status, headers: headers, body: .object(object, bytes))
    }
}

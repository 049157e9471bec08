import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Transport

/// How one request of a download ended, when it did not throw.
enum AttemptStep {
    /// Every byte is in the `.part`.
    case complete
    /// The connection failed after bytes arrived: resume from the new offset.
    case interrupted(ServiceError)
    /// The signed URL has expired.
    case expired
}

extension Downloader {
    /// The most of an error body read (for its message).
    static let errorBodyLimit = 64 * 1024

    /// One request: asks for the rest of the `.part` (or the whole file),
    /// follows redirects, and streams the answer into the `.part`.
    /// - Throws: what is worth retrying only if nothing arrived (with the
    ///   `retryable` flag), or a final error.
    func attempt(_ url: DownloadURL, _ state: inout TransferState) async throws(ServiceError) -> AttemptStep {
        if state.isComplete {
            try state.continuing(total: nil)
            return .complete
        }
        var headers = HTTPHeaders([("User-Agent", "moonwatch")])
        if state.offset > 0, let validator = state.metadata?.validator {
            headers.add(name: "Range", value: "bytes=\(state.offset)-")
            headers.add(name: "If-Range", value: validator)
        }
        let (response, answered) = try await open(url, headers: headers)
        let status = Int(response.status.code)
        switch status {
        case 200:
            if state.offset > 0 {
                logger?.info("\(answered.shown) sent the whole file (Range ignored, or the file changed): \(state.target.path) starts over")
                try state.restart()
            }
            let total = response.headers.first(name: "Content-Length").flatMap { Int64($0) }
            let validator = PartMetadata.validator(
                etag: response.headers.first(name: "ETag"), lastModified: response.headers.first(name: "Last-Modified"))
            try state.begin(validator.map { PartMetadata(validator: $0, total: total) })
            return try await receive(response.body, until: total, from: answered, into: &state)
        case 206:
            let range = ContentRange(response.headers.first(name: "Content-Range"))
            let etag = response.headers.first(name: "ETag")
            let validator = state.metadata?.validator ?? ""
            guard let range, let first = range.first, first == state.offset, state.offset > 0 else {
                try state.restart()
                throw ServiceError(
                    .download, "\(answered.shown) answered a range that does not continue the .part; starting over",
                    status: 206, retryable: true)
            }
            if let etag, validator.hasPrefix("\"") || validator.hasPrefix("W/"), etag != validator {
                try state.restart()
                throw ServiceError(
                    .download, "\(answered.shown) changed (ETag \(etag), was \(validator)); starting over", status: 206,
                    retryable: true)
            }
            try state.continuing(total: range.total)
            return try await receive(response.body, until: range.last.map { $0 + 1 }, from: answered, into: &state)
        default:
            let body = await Self.prefix(of: response.body, limit: Self.errorBodyLimit)
            if DownloadErrors.isExpiry(status: status, body: body) { return .expired }
            if status == 416 {
                // The .part is longer than the file: it belongs to another version.
                try state.restart()
            }
            let retryAfter = RetryAfter.seconds(response.headers.first(name: "Retry-After"), wallNow: clock.wallNow())
            var error = DownloadErrors.http(status: status, body: body, url: answered, retryAfter: retryAfter)
            if status == 416 { error.retryable = true }
            throw error
        }
    }

    /// Sends the GET and follows up to ``DownloadOptions/maxRedirects`` redirects
    /// (same headers, http and https only); returns the answer and who gave it.
    private func open(_ url: DownloadURL, headers: HTTPHeaders) async throws(ServiceError) -> (HTTPClientResponse, DownloadURL) {
        var current = url
        var redirects = 0
        while true {
            var request = HTTPClientRequest(url: current.url.absoluteString)
            request.headers = headers
            let response: HTTPClientResponse
            do {
                response = try await client.execute(request, deadline: .distantFuture)
            } catch {
                throw DownloadErrors.transport(error, url: current)
            }
            guard [301, 302, 303, 307, 308].contains(Int(response.status.code)),
                let location = response.headers.first(name: "Location")
            else { return (response, current) }
            _ = await Self.prefix(of: response.body, limit: Self.errorBodyLimit)
            guard redirects < options.maxRedirects else {
                throw ServiceError(
                    .download, "GET \(url.shown): more than \(options.maxRedirects) redirects (the last from \(current.shown))",
                    status: Int(response.status.code), retryable: false)
            }
            redirects += 1
            current = try current.following(location)
        }
    }

    /// Streams a body into the `.part`, chunk by chunk as it arrives.
    private func receive(
        _ body: HTTPClientResponse.Body, until end: Int64?, from url: DownloadURL, into state: inout TransferState
    ) async throws(ServiceError) -> AttemptStep {
        let start = state.offset
        var failure: ServiceError?
        do {
            for try await buffer in body {
                try buffer.withUnsafeReadableBytes { bytes throws(ServiceError) in try state.append(bytes) }
                counters.addDownloadedBytes(buffer.readableBytes)
            }
        } catch let error as ServiceError {
            throw error
        } catch {
            failure = DownloadErrors.transport(error, url: url)
        }
        if failure == nil, let end, state.offset < end {
            failure = ServiceError(
                .network, "GET \(url.shown): the connection closed after byte \(state.offset) of \(end)", retryable: true)
        }
        guard let failure else { return .complete }
        guard failure.retryable, state.offset > start else { throw failure }
        return .interrupted(failure)
    }

    /// Up to `limit` bytes of a body; the rest is dropped with the connection.
    static func prefix(of body: HTTPClientResponse.Body, limit: Int) async -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            for try await buffer in body {
                bytes += buffer.readableBytesView.prefix(limit - bytes.count)
                if bytes.count >= limit { break }
            }
        } catch {
            // What arrived is enough for a message.
        }
        return bytes
    }
}

/// `Content-Range: bytes FIRST-LAST/TOTAL` (TOTAL may be `*`), or `bytes */TOTAL`.
struct ContentRange: Equatable {
    var first: Int64?
    var last: Int64?
    var total: Int64?

    init?(_ header: String?) {
        guard let header, header.hasPrefix("bytes ") else { return nil }
        let spec = header.dropFirst(6)
        let halves = spec.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard halves.count == 2 else { return nil }
        total = Int64(halves[1])
        if halves[0] != "*" {
            let bounds = halves[0].split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard bounds.count == 2, let first = Int64(bounds[0]), let last = Int64(bounds[1]), first <= last else { return nil }
            self.first = first
            self.last = last
        }
    }
}

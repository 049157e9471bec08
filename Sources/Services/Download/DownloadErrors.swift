import AsyncHTTPClient
import Foundation
import NIOCore
import Transport

/// The errors a download reports, in the words of docs/contract.md §2.5 (errors).
enum DownloadErrors {
    /// A transport failure: `canceled` when the task was cancelled, `timeout`
    /// for silence past the read timeout, else `network`; the last two are retryable.
    static func transport(_ error: any Error, url: DownloadURL) -> ServiceError {
        if let error = error as? ServiceError { return error }
        if Task.isCancelled || error is CancellationError {
            return ServiceError(.canceled, "download of \(url.shown) canceled")
        }
        if let error = error as? HTTPClientError {
            if error == .cancelled { return ServiceError(.canceled, "download of \(url.shown) canceled") }
            let timeouts: [HTTPClientError] = [
                .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout,
                .tlsHandshakeTimeout,
            ]
            if timeouts.contains(error) {
                return ServiceError(.timeout, "download of \(url.shown) timed out (\(error))", retryable: true)
            }
        }
        return ServiceError(.network, "download of \(url.shown) failed: \(error)", retryable: true)
    }

    /// A non-success answer: retryable as ``ServiceError/kind(forStatus:)`` says (5xx, 408, 429), final otherwise.
    /// The message quotes the object-storage `Code` and `Message` when the body has them.
    static func http(status: Int, body: [UInt8], url: DownloadURL, retryAfter: Double?) -> ServiceError {
        let text = String(decoding: body, as: UTF8.self)
        var detail: String
        if let code = element("Code", in: text) {
            detail = code
            if let message = element("Message", in: text) { detail += ": " + message }
        } else if text.isEmpty {
            detail = "empty body"
        } else {
            detail = ServiceError.snippet(text)
        }
        // As for service answers: 5xx, 408 and 429 may pass; anything else will not.
        let retryable = ServiceError.kind(forStatus: status).isRetryableByDefault
        return ServiceError(
            .download, "GET \(url.shown) answered HTTP \(status) (\(detail))", status: status,
            code: element("Code", in: text), retryable: retryable, retryAfter: retryAfter)
    }

    /// Whether a 403 or 410 says that a signed URL has expired (object storage:
    /// `<Code>AccessDenied</Code><Message>Request has expired</Message>`).
    static func isExpiry(status: Int, body: [UInt8]) -> Bool {
        guard status == 403 || status == 410 else { return false }
        let text = String(decoding: body, as: UTF8.self).lowercased()
        return text.contains("expired") || text.contains("expiry")
    }

    /// The text of the first `<name>...</name>` in an XML error body.
    private static func element(_ name: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(name)>"), let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex)
        else { return nil }
        let value = text[open.upperBound..<close.lowerBound]
        return value.isEmpty ? nil : String(value)
    }
}

import JSON
import Transport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the bytes of a `.part` belong to, kept beside it in `.part.meta`
/// (`{"validator": "\"etag\"", "total": 1234}`) so that a later call or run,
/// even with a freshly signed URL, can ask for the rest with `If-Range`.
///
/// A `.part` without a readable `.part.meta` is never resumed: without a
/// validator, the rest might come from a different version of the file.
struct PartMetadata: Sendable, Equatable {
    /// A strong ETag, or else the Last-Modified date: what `If-Range` sends.
    var validator: String
    /// The full size of the file, when the server said.
    var total: Int64?

    /// The validator of an answer: a strong ETag (`If-Range` does not accept
    /// weak ones), else Last-Modified; nil when there is neither.
    static func validator(etag: String?, lastModified: String?) -> String? {
        if let etag, !etag.isEmpty, !etag.hasPrefix("W/") { return etag }
        if let lastModified, !lastModified.isEmpty { return lastModified }
        return nil
    }

    /// The metadata at `path`, or nil when it is missing or unreadable.
    static func load(_ path: String) -> PartMetadata? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 8192)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
        guard count > 0, let value = try? JSONParser.parse(bytes[0..<count]),
            let validator = value["validator"]?.stringValue
        else { return nil }
        return PartMetadata(validator: validator, total: value["total"]?.int64Value)
    }

    /// Writes the metadata to `path` through a temporary file and a rename, so
    /// a crash leaves the old or the new one, never half of one.
    func save(to path: String, shownPath: String) throws(ServiceError) {
        var object: JSONObject = ["validator": .string(validator)]
        if let total { object["total"] = .integer(total) }
        let text = JSONValue.object(object).serializedBytes
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else {
            throw ServiceError(.download, "cannot write \(shownPath): \(errnoText())", retryable: false)
        }
        let written = text.withUnsafeBytes { write(descriptor, $0.baseAddress!, $0.count) }
        let code = errno
        close(descriptor)
        guard written == text.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            let reason = written < 0 && (code == ENOSPC || code == EDQUOT) ? "no space left on the device" : errnoText(code)
            throw ServiceError(.download, "cannot write \(shownPath): \(reason)", retryable: false)
        }
    }

    static func remove(_ path: String) {
        unlink(path)
    }
}

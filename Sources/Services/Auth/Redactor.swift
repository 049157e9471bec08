import JSON
import Synchronization
import Transport

/// Replaces every registered secret value in a string with `***`.
///
/// Each secret is also registered in the forms it takes on the wire (JSON
/// string escaping, percent-encoding), so it cannot slip through in an echoed
/// request body or URL. Longer secrets are replaced first. Used for every log
/// line and error message the Services layer produces.
package final class Redactor: Sendable {
    package static let mask = "***"

    private let secrets = Mutex<[String]>([])
    /// Whose secrets are masked too, as they are registered (an IAM token fetched later).
    private let parent: Redactor?

    package init(secrets: [String] = []) {
        parent = nil
        for secret in secrets { register(secret) }
    }

    private init(parent: Redactor) {
        self.parent = parent
    }

    /// Adds a secret value; empty values are ignored.
    package func register(_ secret: String) {
        guard !secret.isEmpty else { return }
        let quoted = JSONValue.quoted(secret)
        let forms = [secret, String(quoted.dropFirst().dropLast()), PercentEncoding.encode(secret)]
        secrets.withLock { list in
            for form in forms where !form.isEmpty && !list.contains(form) { list.append(form) }
            list.sort { $0.utf8.count > $1.utf8.count }
        }
    }

    /// A redactor that masks `extra` as well as every secret this one has or will
    /// have (a request's own secrets, for the messages about that request); this
    /// one is unchanged.
    package func adding(_ extra: [String]) -> Redactor {
        guard !extra.isEmpty else { return self }
        let child = Redactor(parent: self)
        for secret in extra { child.register(secret) }
        return child
    }

    /// How many distinct forms are registered (a parent's included).
    package var count: Int { secrets.withLock { $0.count } + (parent?.count ?? 0) }

    /// `text` with every secret replaced by ``mask``.
    package func redact(_ text: String) -> String {
        let text = parent?.redact(text) ?? text
        let list = secrets.withLock { $0 }
        guard !list.isEmpty else { return text }
        var output = text
        for secret in list where output.containsBytes(secret) {
            output = output.replacingAll(secret, with: Self.mask)
        }
        return output
    }

    /// `bytes` (an answer's body) with every secret masked; untouched, even when
    /// not UTF-8, unless a secret occurs in it.
    package func redact(_ bytes: [UInt8]) -> [UInt8] {
        guard occurs(in: bytes) else { return bytes }
        return Array(redact(String(decoding: bytes, as: UTF8.self)).utf8)
    }

    private func occurs(in bytes: [UInt8]) -> Bool {
        if parent?.occurs(in: bytes) == true { return true }
        return secrets.withLock { $0 }.contains { bytes.containsBytes(Array($0.utf8)) }
    }

    /// `value` with every secret in its strings masked, keys and structure kept.
    package func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): .string(redact(text))
        case .array(let values): .array(values.map(redact))
        case .object(let object): .object(redact(object))
        default: value
        }
    }

    /// `object` with every secret in its string values masked.
    package func redact(_ object: JSONObject) -> JSONObject {
        JSONObject(object.pairs.map { ($0.key, redact($0.value)) })
    }
}

extension String {
    /// Replaces every non-overlapping occurrence of `target`, comparing UTF-8
    /// bytes (not grapheme clusters, so a combining mark after a secret cannot
    /// hide it), scanning left to right.
    func replacingAll(_ target: String, with replacement: String) -> String {
        let needle = Array(target.utf8)
        let haystack = Array(utf8)
        guard !needle.isEmpty, haystack.count >= needle.count else { return self }
        let replacementBytes = Array(replacement.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(haystack.count)
        var index = 0
        let first = needle[0]
        while index < haystack.count {
            if haystack[index] == first, index + needle.count <= haystack.count,
                haystack[index..<index + needle.count].elementsEqual(needle)
            {
                output.append(contentsOf: replacementBytes)
                index += needle.count
            } else {
                output.append(haystack[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether `target`'s UTF-8 bytes occur in this string.
    func containsBytes(_ target: String) -> Bool {
        Array(utf8).containsBytes(Array(target.utf8))
    }
}

extension [UInt8] {
    /// Whether `needle` occurs in these bytes.
    func containsBytes(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, count >= needle.count else { return needle.isEmpty }
        for start in 0...(count - needle.count) where self[start] == needle[0] {
            if self[start..<start + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }
}

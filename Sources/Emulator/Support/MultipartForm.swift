/// The parts of a `multipart/form-data` body (RFC 7578, in RFC 2046's framing): each part's
/// field name and content. Nil for a body that breaks the framing (no delimiter, no
/// close delimiter, a part without `Content-Disposition: form-data; name=...`), so that a route
/// refuses it instead of guessing.
struct MultipartForm {
    struct Part {
        let name: String
        let content: ArraySlice<UInt8>

        /// The content as text (UTF-8, invalid bytes replaced).
        var text: String { String(decoding: content, as: UTF8.self) }
    }

    let parts: [Part]

    private static let crlf: [UInt8] = [0x0d, 0x0a]

    init?(_ body: [UInt8], boundary: String) {
        let delimiter = Array("--\(boundary)".utf8)
        // The first delimiter opens the body or ends a preamble; every later one follows a CRLF.
        let first = body.starts(with: delimiter) ? 0 : Self.find(Self.crlf + delimiter, in: body, from: 0).map { $0 + 2 }
        guard var cursor = first else { return nil }
        var parts: [Part] = []
        while true {
            cursor += delimiter.count
            if body[cursor...].starts(with: [0x2d, 0x2d]) { break }
            // Transport padding may follow a delimiter before its CRLF.
            while cursor < body.count, body[cursor] == 0x20 || body[cursor] == 0x09 { cursor += 1 }
            guard body[cursor...].starts(with: Self.crlf) else { return nil }
            // Searching from the delimiter line's own CRLF also finds an empty header block.
            guard let headersEnd = Self.find(Self.crlf + Self.crlf, in: body, from: cursor) else { return nil }
            let headers = headersEnd > cursor ? body[(cursor + 2)..<headersEnd] : []
            let contentStart = headersEnd + 4
            guard let contentEnd = Self.find(Self.crlf + delimiter, in: body, from: contentStart),
                let part = Self.part(headers: headers, content: body[contentStart..<contentEnd])
            else { return nil }
            parts.append(part)
            cursor = contentEnd + 2
        }
        self.parts = parts
    }

    private static func part(headers: ArraySlice<UInt8>, content: ArraySlice<UInt8>) -> Part? {
        for line in String(decoding: headers, as: UTF8.self).split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == "content-disposition" else { continue }
            let disposition = HeaderValue(String(line[line.index(after: colon)...]))
            guard disposition.value == "form-data", let name = disposition.parameters["name"] else { return nil }
            return Part(name: name, content: content)
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

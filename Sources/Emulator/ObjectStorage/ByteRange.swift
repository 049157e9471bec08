/// The single byte range of a `Range: bytes=...` header (RFC 9110 §14.1.2).
enum ByteRange: Equatable {
    /// Serve the whole object: no header, a form the emulator does not serve (several ranges),
    /// or a syntax error (which RFC 9110 says to ignore).
    case whole
    case partial(Range<Int>)
    /// 416: the range starts at or past the end.
    case unsatisfiable

    init(header: String?, size: Int) {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else {
            self = .whole
            return
        }
        let spec = header.dropFirst(6).trimmingCharacters(in: " ")
        guard let dash = spec.firstIndex(of: "-") else {
            self = .whole
            return
        }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        if first.isEmpty {
            // Suffix: the last N bytes.
            guard let n = Int(last), n >= 0 else {
                self = .whole
                return
            }
            self = n == 0 || size == 0 ? .unsatisfiable : .partial(max(0, size - n)..<size)
            return
        }
        guard let start = Int(first), start >= 0 else {
            self = .whole
            return
        }
        var end = size - 1
        if !last.isEmpty {
            guard let e = Int(last), e >= start else {
                self = .whole
                return
            }
            end = min(e, size - 1)
        }
        self = start >= size ? .unsatisfiable : .partial(start..<(end + 1))
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> Substring {
        var s = self
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return s
    }
}

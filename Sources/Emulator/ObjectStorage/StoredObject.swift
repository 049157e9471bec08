import NIOCore

/// A result file: its size and where it came from. Content is never stored: every byte is a
/// function of the seed and the object's path, so any range can be produced on demand and
/// files of any size cost no memory. Pictures start with a real image (``PictureBytes``).
struct StoredObject: Sendable {
    /// The path the content derives from.
    let path: String
    let size: Int
    let lastModified: Double
    let identity: UInt64

    init(path: String, size: Int, lastModified: Double, seed: UInt64) {
        self.path = path
        self.size = size
        self.lastModified = lastModified
        self.identity = StableHash.of("object", path, String(size), seed: seed)
    }

    var contentType: String {
        if path.hasSuffix(".png") { return "image/png" }
        if path.hasSuffix(".jpg") || path.hasSuffix(".jpeg") { return "image/jpeg" }
        return "application/octet-stream"
    }

    /// A picture's first bytes are a real small image, so results show in a browser.
    private var header: [UInt8] {
        if path.hasSuffix(".png") { return PictureBytes.png(identity: identity) }
        if path.hasSuffix(".jpg") || path.hasSuffix(".jpeg") { return PictureBytes.jpeg(identity: identity) }
        return []
    }

    /// Writes the bytes of `range` into `buffer`.
    func write(_ range: Range<Int>, into buffer: inout ByteBuffer) {
        let magic = range.lowerBound < 16_384 ? header : []
        let identity = self.identity
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: range.count) { out in
            var word: UInt64 = 0
            var wordIndex = -1
            for (i, offset) in range.enumerated() {
                if offset < magic.count {
                    out[i] = magic[offset]
                    continue
                }
                if offset >> 3 != wordIndex {
                    wordIndex = offset >> 3
                    word = StableHash.mix(identity &+ UInt64(wordIndex))
                }
                out[i] = UInt8(truncatingIfNeeded: word >> UInt64((offset & 7) * 8))
            }
            return range.count
        }
    }
}

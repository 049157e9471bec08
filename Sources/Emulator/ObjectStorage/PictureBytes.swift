/// The start of a generated picture: a small valid PNG or JPEG whose colours
/// derive from the object's identity. The rest of the object is filler after
/// the image's end marker (IEND, EOI), which decoders ignore, so a browser shows
/// every downloaded result as a picture, at any object size.
enum PictureBytes {
    /// A 64×64 PNG: a diagonal gradient between two colours.
    static func png(identity: UInt64) -> [UInt8] {
        let side = 64
        let (from, to) = colours(identity)
        var raw: [UInt8] = []
        raw.reserveCapacity(side * (1 + side * 3))
        for y in 0..<side {
            raw.append(0)  // filter: none
            for x in 0..<side {
                let t = (x + y) * 255 / (2 * side - 2)
                for channel in 0..<3 {
                    raw.append(UInt8((Int(from[channel]) * (255 - t) + Int(to[channel]) * t) / 255))
                }
            }
        }
        var header = Array(repeating: UInt8(0), count: 0)
        header += [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
        header += chunk("IHDR", bigEndian(UInt32(side)) + bigEndian(UInt32(side)) + [8, 2, 0, 0, 0])
        header += chunk("IDAT", zlibStored(raw))
        header += chunk("IEND", [])
        return header
    }

    /// An 8×8 baseline JPEG of one colour: one block per component, its DC
    /// coefficient only, with Huffman tables that hold just the symbols used.
    static func jpeg(identity: UInt64) -> [UInt8] {
        let (colour, _) = colours(identity)
        let r = Double(colour[0]), g = Double(colour[1]), b = Double(colour[2])
        let ycbcr = [
            0.299 * r + 0.587 * g + 0.114 * b,
            128 - 0.1687 * r - 0.3313 * g + 0.5 * b,
            128 + 0.5 * r - 0.4187 * g - 0.0813 * b,
        ].map { Int($0.rounded()) - 128 }
        var bytes: [UInt8] = [0xff, 0xd8]
        bytes += segment(0xe0, Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0])
        // Every quantizer 8: a uniform block's DC coefficient, 8·(v − 128), quantizes to v − 128.
        bytes += segment(0xdb, [0] + Array(repeating: 8, count: 64))
        bytes += segment(0xc0, [8, 0, 8, 0, 8, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0])
        // DC table 0: the 12 sizes, each a 4-bit code. AC table 0: only end-of-block, code "0".
        bytes += segment(0xc4, [0x00] + [0, 0, 0, 12] + Array(repeating: 0, count: 12) + Array(0...11))
        bytes += segment(0xc4, [0x10] + [1] + Array(repeating: 0, count: 15) + [0])
        bytes += segment(0xda, [3, 1, 0, 2, 0, 3, 0, 0, 63, 0])
        var bits = BitWriter()
        for value in ycbcr {
            let size = value == 0 ? 0 : Int.bitWidth - abs(value).leadingZeroBitCount
            bits.write(size, count: 4)
            // Negative values are sent as their ones' complement in `size` bits.
            bits.write(value >= 0 ? value : value + (1 << size) - 1, count: size)
            bits.write(0, count: 1)
        }
        bytes += bits.finished()
        bytes += [0xff, 0xd9]
        return bytes
    }

    /// Two colours from the identity's bits, kept away from black and white.
    private static func colours(_ identity: UInt64) -> ([UInt8], [UInt8]) {
        let channels = (0..<6).map { UInt8(40 + Int((identity >> UInt64($0 * 8)) & 0xff) * 175 / 255) }
        return (Array(channels[0..<3]), Array(channels[3..<6]))
    }

    private static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0xff, marker] + bigEndian(UInt16(payload.count + 2)) + payload
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typed + bigEndian(crc32(typed))
    }

    /// zlib around deflate "stored" blocks: no compression, any decoder reads it.
    private static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let count = min(65_535, data.count - offset)
            let last: UInt8 = offset + count == data.count ? 1 : 0
            out.append(last)
            out += [UInt8(count & 0xff), UInt8(count >> 8), UInt8(~count & 0xff), UInt8((~count >> 8) & 0xff)]
            out += data[offset..<offset + count]
            offset += count
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + bigEndian(b << 16 | a)
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<T.bitWidth / 8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    /// Entropy-coded bits, most significant first, padded with ones and with a
    /// 0x00 stuffed after every 0xFF, as JPEG requires.
    private struct BitWriter {
        private var bytes: [UInt8] = []
        private var current = 0
        private var filled = 0

        mutating func write(_ value: Int, count: Int) {
            for shift in stride(from: count - 1, through: 0, by: -1) {
                current = current << 1 | (value >> shift) & 1
                filled += 1
                if filled == 8 { flush() }
            }
        }

        mutating func finished() -> [UInt8] {
            if filled > 0 {
                current = current << (8 - filled) | (1 << (8 - filled)) - 1
                flush()
            }
            return bytes
        }

        private mutating func flush() {
            bytes.append(UInt8(current))
            if current == 0xff { bytes.append(0) }
            current = 0
            filled = 0
        }
    }
}

extension String {
    /// The text without the JSON white space (space, tab, LF, CR) around it: services that
    /// quote their numbers and configuration values given as text are read through it.
    package var trimmingSpaces: Substring {
        // Most values have nothing to trim: answer without walking Characters.
        if let first = utf8.first, let last = utf8.last, !Self.isSpaceByte(first), !Self.isSpaceByte(last) {
            return self[...]
        }
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" || first == "\n" || first == "\r" {
            slice = slice.dropFirst()
        }
        while let last = slice.last, last == " " || last == "\t" || last == "\n" || last == "\r" {
            slice = slice.dropLast()
        }
        return slice
    }

    private static func isSpaceByte(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

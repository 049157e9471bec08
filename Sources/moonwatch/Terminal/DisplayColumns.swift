/// How many terminal columns text takes, and text cut to a number of columns.
///
/// Measured per character (grapheme cluster), so a cut never splits a UTF-8
/// sequence or separates a combining mark from its letter. East Asian wide and
/// fullwidth characters and emoji take two columns, control characters none,
/// the rest one: the cases a progress line meets, without a full `wcwidth` table.
enum DisplayColumns {
    /// `text` cut so that it fills at most `width - 1` columns: the last column
    /// stays empty, because a terminal that writes into it wraps (or defers the
    /// wrap), and `\r\e[K` would then clear only the last row. A width below 1 is
    /// taken as ``TerminalWidth/fallback``.
    static func fit(_ text: String, into width: Int) -> String {
        let limit = TerminalWidth.usable(width) - 1
        var used = 0
        for index in text.indices {
            used += columns(of: text[index])
            if used > limit { return String(text[..<index]) }
        }
        return text
    }

    static func columns(of character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        if first.properties.generalCategory == .control { return 0 }
        if character.unicodeScalars.contains(where: isWide) { return 2 }
        return 1
    }

    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.isEmojiPresentation { return true }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}

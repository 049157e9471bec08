import Foundation

/// Numbers as people read them.
package enum Format {
    package static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let total = Int(seconds.rounded())
        if total < 60 { return seconds < 10 ? String(format: "%.1f s", seconds) : "\(total) s" }
        let hours = total / 3600, minutes = total / 60 % 60, rest = total % 60
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, rest) : String(format: "%d:%02d", minutes, rest)
    }

    /// `812 B`, `54.1 KB`, `4.5 MB`: one decimal, powers of 1000. Integer
    /// arithmetic: a report formats 20,000 sizes.
    package static func bytes(_ count: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        guard count >= 1000 else { return "\(count) B" }
        var scale = 1
        var unit = 0
        while count / scale >= 1000 && unit < units.count - 1 {
            scale *= 1000
            unit += 1
        }
        // Tenths of the unit, rounded half up, as %.1f would.
        let tenths = (count * 10 + scale / 2) / scale
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }

    /// `text` padded with spaces to `width` columns, on the right or (for numbers) the left.
    package static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}

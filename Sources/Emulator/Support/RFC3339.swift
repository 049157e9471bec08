/// UTC timestamps without Foundation's formatters, which are slow and not thread-safe to share.
enum RFC3339 {
    /// `2022-11-07T11:43:08Z`, the MetaStudio and face-edge form.
    static func seconds(_ epoch: Double) -> String {
        let c = Civil(epochSeconds: Int64(epoch.rounded(.down)))
        return "\(c.year)-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))Z"
    }

    /// `2024-01-02T03:04:05.678000Z`, the IAM form (microseconds).
    static func micros(_ epoch: Double) -> String {
        let whole = epoch.rounded(.down)
        let c = Civil(epochSeconds: Int64(whole))
        let micros = Int(((epoch - whole) * 1_000_000).rounded(.down))
        let fraction = String(micros)
        return "\(c.year)-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))."
            + String(repeating: "0", count: 6 - fraction.count) + fraction + "Z"
    }

    /// `Mon, 07 Nov 2022 11:43:08 GMT`, for Last-Modified and If-Range.
    static func httpDate(_ epoch: Double) -> String {
        let seconds = Int64(epoch.rounded(.down))
        let c = Civil(epochSeconds: seconds)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        return "\(weekday), \(pad(c.day)) \(months[c.month - 1]) \(c.year) \(pad(c.hour)):\(pad(c.minute)):\(pad(c.second)) GMT"
    }

    /// Parses the SDK's `yyyyMMdd'T'HHmmss'Z'` date; nil when malformed.
    static func parseSDKDate(_ text: some StringProtocol) -> Double? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let b = bytes[i]
                guard b >= 0x30, b <= 0x39 else { return nil }
                value = value * 10 + Int(b - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let days = Civil.daysFromCivil(year: year, month: month, day: day)
        return Double(days * 86_400 + Int64(hour * 3600 + minute * 60 + second))
    }

    /// Formats the SDK date from epoch seconds (used in error messages).
    static func sdkDate(_ epoch: Double) -> String {
        let c = Civil(epochSeconds: Int64(epoch.rounded(.down)))
        return "\(c.year)\(pad(c.month))\(pad(c.day))T\(pad(c.hour))\(pad(c.minute))\(pad(c.second))Z"
    }

    private static func pad(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}

/// Proleptic Gregorian calendar fields (Howard Hinnant's civil-from-days algorithm).
struct Civil {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    init(epochSeconds: Int64) {
        var days = epochSeconds / 86_400
        var rest = epochSeconds % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        hour = Int(rest / 3600)
        minute = Int(rest % 3600 / 60)
        second = Int(rest % 60)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = Int(doy - (153 * mp + 2) / 5 + 1)
        month = Int(mp < 10 ? mp + 3 : mp - 9)
        year = Int(yoe + era * 400) + (month <= 2 ? 1 : 0)
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

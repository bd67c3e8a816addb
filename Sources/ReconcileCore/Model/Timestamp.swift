/// A point in time as whole seconds since the Unix epoch (UTC). The core never reads the clock: a
/// `Timestamp` always arrives as an input.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) { self.secondsSinceEpoch = secondsSinceEpoch }

    /// The simulated clock's default start: fixed, so fixture output is byte-stable.
    public static let simulationEpoch = Timestamp(secondsSinceEpoch: 1_767_225_600)  // 2026-01-01T00:00:00Z

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.secondsSinceEpoch < b.secondsSinceEpoch }

    public func adding(seconds: Double) -> Timestamp {
        Timestamp(secondsSinceEpoch: secondsSinceEpoch + Int64(seconds.rounded(.up)))
    }

    /// `2026-01-01T00:00:00Z`, the form Kubernetes writes.
    public var rfc3339: String {
        let days = secondsSinceEpoch >= 0 ? secondsSinceEpoch / 86400 : (secondsSinceEpoch - 86399) / 86400
        let secs = secondsSinceEpoch - days * 86400
        let (y, m, d) = Self.civil(fromDays: days)
        if (0...9999).contains(y) {
            // Written digit by digit: every condition of every reconcile prints its transition
            // time, and string interpolation made this about 1.5 % of a large `simulate`.
            return String(unsafeUninitializedCapacity: 20) { out in
                var at = 0
                func put(_ value: Int64, width: Int, then separator: UInt8) {
                    var v = value
                    for k in stride(from: width - 1, through: 0, by: -1) {
                        out[at + k] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                        v /= 10
                    }
                    out[at + width] = separator
                    at += width + 1
                }
                put(y, width: 4, then: 0x2D)  // -
                put(m, width: 2, then: 0x2D)  // -
                put(d, width: 2, then: 0x54)  // T
                put(secs / 3600, width: 2, then: 0x3A)  // :
                put(secs % 3600 / 60, width: 2, then: 0x3A)  // :
                put(secs % 60, width: 2, then: 0x5A)  // Z
                return at
            }
        }
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var year = String(y)
        while year.count < 4 { year = "0" + year }
        return "\(year)-\(two(m))-\(two(d))T\(two(secs / 3600)):\(two(secs % 3600 / 60)):\(two(secs % 60))Z"
    }
    public var description: String { rfc3339 }

    /// Parses RFC 3339 (`Z` or `±hh:mm` offsets, optional fractional seconds, which are dropped).
    public init?(rfc3339 text: String) {
        let b = Array(text.utf8)
        func num(_ from: Int, _ len: Int) -> Int64? {
            guard from + len <= b.count else { return nil }
            var v: Int64 = 0
            for i in from..<(from + len) {
                let c = b[i]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            return v
        }
        guard b.count >= 20, let y = num(0, 4), b[4] == 45, let mo = num(5, 2), b[7] == 45, let d = num(8, 2),
            b[10] == 84 || b[10] == 116 || b[10] == 32, let h = num(11, 2), b[13] == 58, let mi = num(14, 2), b[16] == 58,
            let s = num(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
        else { return nil }
        var i = 19
        if i < b.count, b[i] == 46 {
            i += 1
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
        }
        guard i < b.count else { return nil }
        var offset: Int64 = 0
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45 {
            guard let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == 58, let om = num(i + 4, 2) else { return nil }
            offset = (oh * 3600 + om * 60) * (b[i] == 45 ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = Self.days(fromCivil: y, mo, d)
        secondsSinceEpoch = days * 86400 + h * 3600 + mi * 60 + s - offset
    }

    // Howard Hinnant's civil-calendar algorithms.
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

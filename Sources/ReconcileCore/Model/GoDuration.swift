/// Go `time.Duration` text: parsed from `1m30s`, `1.5h`, `500ms` and written back the way Go prints
/// durations (`30s`, `1m0s`, `1h30m0s`, `500ms`), so the generated vMCP configuration reads like
/// the Go operator's; also the CEL rules that compare durations (`duration(self) >= duration('1s')`).
public enum GoDuration {
    /// Nanoseconds, or nil when the text is not a Go duration.
    public static func parse(_ text: String) -> Int64? {
        var s = Substring(text)
        var negative = false
        if s.first == "-" || s.first == "+" { negative = s.first == "-"; s = s.dropFirst() }
        if s == "0" { return 0 }
        guard !s.isEmpty else { return nil }
        var total: Double = 0
        while !s.isEmpty {
            let number = s.prefix { ("0"..."9").contains($0) || $0 == "." }
            guard !number.isEmpty, let v = Double(number) else { return nil }
            s = s.dropFirst(number.count)
            let unit = s.prefix { !("0"..."9").contains($0) && $0 != "." }
            s = s.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "ns": scale = 1
            case "us", "µs", "μs": scale = 1e3
            case "ms": scale = 1e6
            case "s": scale = 1e9
            case "m": scale = 60e9
            case "h": scale = 3600e9
            default: return nil
            }
            total += v * scale
        }
        guard total < 9.2e18 else { return nil }
        return Int64(total.rounded()) * (negative ? -1 : 1)
    }

    public static func seconds(_ text: String) -> Double? { parse(text).map { Double($0) / 1e9 } }

    /// Go's `Duration.String()`.
    public static func format(nanoseconds d: Int64) -> String {
        if d == 0 { return "0s" }
        let neg = d < 0
        let u = UInt64(d.magnitude)
        var out: String
        if u < 1_000_000_000 {
            if u < 1_000 { out = "\(u)ns" }
            else if u < 1_000_000 { out = fraction(u, 1_000) + "µs" }
            else { out = fraction(u, 1_000_000) + "ms" }
        } else {
            let h = u / 3_600_000_000_000
            let m = (u / 60_000_000_000) % 60
            let secs = fraction(u % 60_000_000_000, 1_000_000_000) + "s"
            out = h > 0 ? "\(h)h\(m)m\(secs)" : (m > 0 ? "\(m)m\(secs)" : secs)
        }
        return neg ? "-" + out : out
    }

    /// Normalises a duration string to Go's printing; text that does not parse is kept as written.
    public static func normalized(_ text: String) -> String {
        parse(text).map { format(nanoseconds: $0) } ?? text
    }

    private static func fraction(_ v: UInt64, _ unit: UInt64) -> String {
        let whole = v / unit
        var frac = v % unit
        guard frac != 0 else { return "\(whole)" }
        var digits = String(frac)
        let width = String(unit - 1).count
        while digits.count < width { digits = "0" + digits }
        while digits.hasSuffix("0") { digits.removeLast(); frac /= 10 }
        return "\(whole).\(digits)"
    }

    /// `self == '' || duration(self) >= duration('<seconds>s')`; an unparsable value is left to
    /// the field's pattern check.
    public static func atLeast(_ text: String?, seconds minimum: Double, emptyAllowed: Bool) -> Bool {
        guard let text else { return true }
        if text.isEmpty { return emptyAllowed }
        guard let s = seconds(text) else { return true }
        return s >= minimum
    }
}

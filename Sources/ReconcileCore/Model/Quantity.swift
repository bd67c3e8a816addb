/// A Kubernetes resource quantity (`500m`, `128Mi`, `1e3`), read and written back exactly as
/// apimachinery's `resource.Quantity` does (`ParseQuantity`, then `MarshalJSON`). The Go operator
/// puts quantities into the objects it sends as `resource.Quantity` values, and the API server
/// stores them the same way, so what a cluster holds is this form, not the user's spelling:
/// `0.5` → `500m`, `1000m` → `1`, `1024Mi` → `1Gi`, `1.5Gi` → `1536Mi`, `0.0000000001` → `1n`.
/// A desired object that carried the user's `0.5` would never be a subset of the stored `500m`.
///
/// Go's rules, all kept here:
/// - Grammar: `[+-]? digits [. digits]` then a suffix: decimal SI `n u m "" k M G T P E`, binary
///   SI `Ki Mi Gi Ti Pi Ei`, or a decimal exponent `e`/`E` + signed integer. Leading zeros, `1.`,
///   `.5` and a lone `.` are accepted, as in Go; whitespace is not (`init(json:)` trims it first,
///   as `UnmarshalJSON` does).
/// - The value is exact (no floating point); anything finer than 1n is rounded up, away from
///   zero, to 1n. A binary-suffixed value is capped at 2^63-1; one between 0 and 1 becomes decimal.
/// - Printing keeps the suffix family: the largest suffix that needs no fractional digits
///   (decimal exponents multiple of 3). A binary value below 1024 or not a whole number prints
///   in decimal SI (`0.001Ki` → `1024m`, `1.001Ki` → `1025024m`).
/// - Go keeps the text as written when its fast parse path guesses it is already canonical:
///   decimal digits (at most 18, none finer than nano) with an exponent multiple of 3, not ending
///   in `000` and not starting with `0`; or a whole binary value whose number is not a multiple
///   of 8. So `1.500`, `+1`, `01`, `1.G` and `1E6` are sent and stored exactly so, and this type
///   does the same.
/// - A decimal-SI value whose exponent has no suffix (beyond `E`, e.g. `1000E`) prints without
///   one (`1`): a defect in Go, reproduced because that is what the cluster would store.
///
/// Exact for any input, in linear time: decimal values are worked on as digit text, whole binary
/// values in 64-bit arithmetic, other binary values with a small bounded big integer.
///
/// Left out: Go reads the `e` exponent as int64 and truncates it to int32, then adds the
/// fraction's length in int32; this type truncates the same way but does the later arithmetic
/// without wrapping, so it differs only for exponents within a few digits of ±2^31.
public struct Quantity: Sendable, Hashable, CustomStringConvertible {
    /// Go's `resource.Format`: the suffix family a quantity is printed in.
    public enum Format: String, Sendable, Hashable {
        case decimalExponent = "DecimalExponent"
        case binarySI = "BinarySI"
        case decimalSI = "DecimalSI"
    }

    /// The suffix family, after Go's adjustments (a binary value below 1 is decimal SI).
    public let format: Format
    /// The text Go's `MarshalJSON` writes: what the API server stores.
    public let description: String

    /// Parses `text` as `resource.ParseQuantity` does.
    public init(_ text: String) throws(QuantityError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .formatWrong }
        if bytes == [0x30] {
            self.init(format: .decimalSI, description: "0")
            return
        }
        let parts = try Parts(bytes)
        let (exponent, format) = try Self.interpret(parts.suffix)
        switch Self.fastPath(parts, exponent: exponent, format: format) {
        case .keepsText:
            self.init(format: format, description: text)
            return
        case .exact: break
        case .none: guard parts.hasDigits else { throw .numeric }  // Go's inf.Dec refuses "" and "."
        }
        guard format == .binarySI else {
            let text = Self.decimalText(negative: parts.negative, digits: parts.whole + parts.fraction, exponent: exponent - parts.fraction.count, format: format)
            self.init(format: format, description: text)
            return
        }
        if let text = Self.wholeBinaryText(parts, exponent: exponent) {
            self.init(format: .binarySI, description: text)
            return
        }
        var amount = BinaryAmount(parts, exponent: exponent)
        let finalFormat = amount.settle()
        self.init(format: finalFormat, description: amount.canonical(finalFormat))
    }

    /// The common binary case (`128Mi`, `2048Mi`) in 64-bit arithmetic: a whole number of at least
    /// 1024 and below the cap, printed in the largest binary suffix that divides it. Nil otherwise.
    static func wholeBinaryText(_ p: Parts, exponent: Int) -> String? {
        guard p.fraction.isEmpty, p.whole.count <= 18, let n = Int64(String(decoding: p.whole, as: UTF8.self)) else { return nil }
        let (value, overflow) = n.multipliedReportingOverflow(by: Int64(1) << Int64(exponent))
        guard !overflow, value >= 1024 else { return nil }
        var v = value
        var times = 0
        while v % 1024 == 0 {
            v /= 1024
            times += 1
        }
        let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
        return (p.negative ? "-" : "") + String(v) + suffixes[min(times, suffixes.count - 1)]
    }

    /// A quantity as a JSON decoder into `resource.Quantity` reads it (`UnmarshalJSON`): a string
    /// with surrounding whitespace trimmed, a number through its text, null as zero. A bool, list
    /// or object fails as Go's parse of that text does. A float is read through
    /// `JSONWriter.formatDouble`, which can spell a very large or small float differently from the
    /// JSON the API server kept; quantities in YAML are strings or small numbers in practice.
    public init(json value: Value) throws(QuantityError) {
        switch value {
        case .string(let s):
            var t = Substring(s)
            while t.first?.isWhitespace == true { t.removeFirst() }
            while t.last?.isWhitespace == true { t.removeLast() }
            try self.init(String(t))
        case .int(let i): try self.init(String(i))
        case .double(let d): try self.init(JSONWriter.formatDouble(d))
        case .null: self.init(format: .decimalSI, description: "0")
        case .bool, .array, .object: throw .formatWrong
        }
    }

    private init(format: Format, description: String) {
        self.format = format
        self.description = description
    }

    /// The stored form of `text`, or nil when Go would not parse it.
    public static func canonical(_ text: String) -> String? {
        do { return try Quantity(text).description } catch { return nil }
    }

    // MARK: parsing

    /// The pieces `parseQuantityString` cuts the text into.
    struct Parts {
        var negative = false
        /// Integer digits without leading zeros (`0` when there are none).
        var whole: ArraySlice<UInt8> = [0x30]
        var fraction: ArraySlice<UInt8> = []
        var suffix: ArraySlice<UInt8> = []
        /// Whether the number before the suffix has a digit at all (`Ki`, `.Pi` have none).
        var hasDigits = true

        init(_ b: [UInt8]) throws(QuantityError) {
            var pos = 0
            let end = b.count
            if b[0] == 0x2D { negative = true; pos = 1 } else if b[0] == 0x2B { pos = 1 }
            let numberStart = pos
            while pos < end, b[pos] == 0x30 { pos += 1 }
            if pos == end { return }
            let wholeStart = pos
            while pos < end, Self.isDigit(b[pos]) { pos += 1 }
            if pos > wholeStart { whole = b[wholeStart..<pos] }
            if pos < end, b[pos] == 0x2E {
                pos += 1
                let fractionStart = pos
                while pos < end, Self.isDigit(b[pos]) { pos += 1 }
                fraction = b[fractionStart..<pos]
            }
            hasDigits = b[numberStart..<pos].contains(where: Self.isDigit)
            let suffixStart = pos
            while pos < end, Self.suffixLetters.contains(b[pos]) { pos += 1 }
            if pos < end, b[pos] == 0x2B || b[pos] == 0x2D { pos += 1 }
            while pos < end, Self.isDigit(b[pos]) { pos += 1 }
            guard pos == end else { throw .formatWrong }
            suffix = b[suffixStart..<end]
        }

        static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        static let suffixLetters = Set("eEinumkKMGTP".utf8)
    }

    /// The suffix as a power (of 10, or of 2 for binary SI) and the format it implies.
    static func interpret(_ suffix: ArraySlice<UInt8>) throws(QuantityError) -> (Int, Format) {
        switch String(decoding: suffix, as: UTF8.self) {
        case "": return (0, .decimalSI)
        case "n": return (-9, .decimalSI)
        case "u": return (-6, .decimalSI)
        case "m": return (-3, .decimalSI)
        case "k": return (3, .decimalSI)
        case "M": return (6, .decimalSI)
        case "G": return (9, .decimalSI)
        case "T": return (12, .decimalSI)
        case "P": return (15, .decimalSI)
        case "E": return (18, .decimalSI)
        case "Ki": return (10, .binarySI)
        case "Mi": return (20, .binarySI)
        case "Gi": return (30, .binarySI)
        case "Ti": return (40, .binarySI)
        case "Pi": return (50, .binarySI)
        case "Ei": return (60, .binarySI)
        default:
            // `e`/`E` and an integer Go's strconv.ParseInt takes (sign, digits, within int64),
            // truncated to int32 as Go does.
            guard suffix.count > 1, let first = suffix.first, first == 0x65 || first == 0x45,
                let e = Int64(String(decoding: suffix.dropFirst(), as: UTF8.self))
            else { throw .suffix }
            return (Int(Int32(truncatingIfNeeded: e)), .decimalExponent)
        }
    }

    enum FastPath { case none, exact, keepsText }

    /// Go's int64 fast path in `ParseQuantity`: taken for at most 18 digits none finer than nano
    /// (binary: a whole number small enough), where it reuses the text if it looks canonical.
    static func fastPath(_ p: Parts, exponent: Int, format: Format) -> FastPath {
        let digits = Array(p.whole) + Array(p.fraction)
        if format == .binarySI {
            guard p.fraction.isEmpty, exponent >= 0, 14 - p.whole.count - exponent * 3 / 10 >= 0,
                let value = Int64(String(decoding: digits, as: UTF8.self)),
                !value.multipliedReportingOverflow(by: Int64(1) << Int64(exponent)).overflow
            else { return .none }
            return value & 7 != 0 ? .keepsText : .exact
        }
        let scale = exponent - p.fraction.count
        guard digits.count <= 18, scale >= -9 else { return .none }
        guard scale % 3 == 0, digits.first != 0x30, !digits.suffix(3).elementsEqual([0x30, 0x30, 0x30]) else { return .exact }
        return .keepsText
    }

    // MARK: value and printing

    /// ±`digits` × 10^`exponent` rounded up to 1n and printed in a decimal format (`AsCanonicalBytes`
    /// and the suffix): the largest exponent, multiple of 3, that needs no fractional digits. Works
    /// on the digit text, so a quantity of any length costs linear time.
    static func decimalText<C: Collection>(negative: Bool, digits: C, exponent: Int, format: Format) -> String where C.Element == UInt8 {
        var d = Array(digits.drop { $0 == 0x30 })
        guard !d.isEmpty else { return "0" }
        var e = exponent
        func dropTrailingZeros() {
            while d.last == 0x30 {
                d.removeLast()
                e += 1
            }
        }
        dropTrailingZeros()
        if e < -9 {
            // Finer than nano: away from zero to the next 1n (Go's RoundUp at scale 9).
            let cut = -9 - e
            if cut >= d.count {
                d = [0x31]
            } else {
                d.removeLast(cut)  // the last digit is not 0, so the value was inexact
                var i = d.count - 1
                while i >= 0, d[i] == 0x39 {
                    d[i] = 0x30
                    i -= 1
                }
                if i >= 0 { d[i] += 1 } else { d.insert(0x31, at: 0) }
            }
            e = -9
            dropTrailingZeros()
        }
        switch e % 3 {
        case 1, -2: d.append(0x30); e -= 1
        case 2, -1: d += [0x30, 0x30]; e -= 2
        default: break
        }
        let suffix: String
        if format == .decimalExponent {
            suffix = e == 0 ? "" : "e\(e)"
        } else {
            let decimal = [-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"]
            suffix = decimal[e] ?? ""
        }
        return (negative ? "-" : "") + String(decoding: d, as: UTF8.self) + suffix
    }

    /// A binary-SI value: ±`magnitude` × 10^`exponent`, `magnitude` without trailing zeros.
    /// Multiplying by 2^k needs binary arithmetic; the digits that can matter are bounded, so it is
    /// too: an integer part past 19 digits is above the cap anyway, and fraction digits past the
    /// 100th only decide whether to round up, so they are replaced by one non-zero digit (exact:
    /// whether a value times 2^k, k ≤ 60, passes a nano step is decided by its first 28 + 60
    /// decimals and whether any later one is non-zero).
    struct BinaryAmount {
        static let maxFractionDigits = 100
        static let cap = Natural(UInt64(Int64.max))

        var negative: Bool
        var magnitude: Natural
        var exponent: Int

        init(_ p: Parts, exponent suffixExponent: Int) {
            negative = p.negative
            guard p.whole.count <= 19 else {
                magnitude = Self.cap
                exponent = 0
                return
            }
            var fraction = Array(p.fraction.prefix(Self.maxFractionDigits))
            if p.fraction.dropFirst(Self.maxFractionDigits).contains(where: { $0 != 0x30 }) { fraction.append(0x31) }
            magnitude = Natural(decimalDigits: p.whole + fraction)
            exponent = -fraction.count
            for _ in 0..<(suffixExponent / 10) { magnitude.multiply(by: 1024) }
            normalize()
        }

        var isZero: Bool { magnitude.isZero }

        mutating func normalize() {
            guard !magnitude.isZero else { exponent = 0; return }
            while magnitude.remainder(dividingBy: 10) == 0 {
                _ = magnitude.divide(by: 10)
                exponent += 1
            }
        }

        /// Go's rounding up to 1n, the cap at 2^63-1, and a value below 1 turning decimal SI.
        mutating func settle() -> Format {
            guard !isZero else { return .binarySI }
            if exponent < -9 {
                var inexact = false
                var steps = -9 - exponent
                while steps > 0, !magnitude.isZero {
                    inexact = magnitude.divide(by: 10) != 0 || inexact
                    steps -= 1
                }
                if inexact { magnitude.add(1) }
                exponent = -9
                normalize()
            }
            if compare(with: Self.cap) > 0 {
                magnitude = Self.cap
                exponent = 0
            }
            return compare(with: Natural(1)) < 0 ? .decimalSI : .binarySI
        }

        /// Compares the magnitude (sign ignored) with a whole number; the exponent is between -9
        /// and the number of digits, so the scaling stays small.
        func compare(with n: Natural) -> Int {
            var a = magnitude
            var b = n
            if exponent >= 0 { a.multiply(byPowerOf10: exponent) } else { b.multiply(byPowerOf10: -exponent) }
            return a.compare(b)
        }

        /// `CanonicalizeBytes`: a whole value of at least 1024 in the largest binary suffix that
        /// divides it, anything else in decimal SI.
        func canonical(_ format: Format) -> String {
            guard !isZero else { return "0" }
            guard format == .binarySI, exponent >= 0, compare(with: Natural(1024)) >= 0 else {
                return Quantity.decimalText(negative: negative, digits: Array(magnitude.decimal.utf8), exponent: exponent, format: .decimalSI)
            }
            var n = magnitude
            n.multiply(byPowerOf10: exponent)
            var times = 0
            while n.remainder(dividingBy: 1024) == 0 {
                _ = n.divide(by: 1024)
                times += 1
            }
            let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
            return (negative ? "-" : "") + n.decimal + (times < suffixes.count ? suffixes[times] : "")
        }
    }

    /// A non-negative integer of any size, in base-2^32 limbs (least significant first, no
    /// leading zero limbs): a binary value may need more than 64 bits (up to ~120 digits), and
    /// Go's arithmetic on it is exact.
    struct Natural: Hashable {
        var limbs: [UInt32] = []

        init(_ v: UInt64) {
            if v != 0 { limbs.append(UInt32(truncatingIfNeeded: v)) }
            if v >> 32 != 0 { limbs.append(UInt32(v >> 32)) }
        }

        init<S: Sequence>(decimalDigits digits: S) where S.Element == UInt8 {
            for d in digits { multiply(by: 10, adding: UInt32(d - 0x30)) }
        }

        var isZero: Bool { limbs.isEmpty }

        mutating func multiply(by m: UInt32, adding a: UInt32 = 0) {
            var carry = UInt64(a)
            for i in limbs.indices {
                let p = UInt64(limbs[i]) * UInt64(m) + carry
                limbs[i] = UInt32(truncatingIfNeeded: p)
                carry = p >> 32
            }
            if carry != 0 { limbs.append(UInt32(carry)) }
            while limbs.last == 0 { limbs.removeLast() }
        }

        mutating func multiply(byPowerOf10 n: Int) {
            for _ in 0..<max(n, 0) { multiply(by: 10) }
        }

        mutating func add(_ a: UInt32) { multiply(by: 1, adding: a) }

        /// Divides in place; returns the remainder.
        mutating func divide(by d: UInt32) -> UInt32 {
            var rem: UInt64 = 0
            for i in limbs.indices.reversed() {
                let cur = (rem << 32) | UInt64(limbs[i])
                limbs[i] = UInt32(cur / UInt64(d))
                rem = cur % UInt64(d)
            }
            while limbs.last == 0 { limbs.removeLast() }
            return UInt32(rem)
        }

        func remainder(dividingBy d: UInt32) -> UInt32 {
            var rem: UInt64 = 0
            for l in limbs.reversed() { rem = ((rem << 32) | UInt64(l)) % UInt64(d) }
            return UInt32(rem)
        }

        func compare(_ other: Natural) -> Int {
            if limbs.count != other.limbs.count { return limbs.count < other.limbs.count ? -1 : 1 }
            for (a, b) in zip(limbs.reversed(), other.limbs.reversed()) where a != b { return a < b ? -1 : 1 }
            return 0
        }

        var decimal: String {
            guard !isZero else { return "0" }
            var n = self
            var chunks: [UInt32] = []
            while !n.isZero { chunks.append(n.divide(by: 1_000_000_000)) }
            var out = String(chunks.removeLast())
            for c in chunks.reversed() {
                let s = String(c)
                out += String(repeating: "0", count: 9 - s.count) + s
            }
            return out
        }
    }
}

/// Why a quantity does not parse; the descriptions are Go's error texts (`resource.ErrFormatWrong`,
/// `ErrNumeric`, `ErrSuffix`), which the Go operator passes on in its messages. `numeric` is a
/// suffix with no digits before it that misses Go's fast path (`Pi`, `.e-12`; `Ki` and `m` parse as 0).
public enum QuantityError: Error, Sendable, Hashable, CustomStringConvertible {
    case formatWrong
    case numeric
    case suffix

    public var description: String {
        switch self {
        case .formatWrong: return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        case .numeric: return "unable to parse numeric part of quantity"
        case .suffix: return "unable to parse quantity's suffix"
        }
    }
}

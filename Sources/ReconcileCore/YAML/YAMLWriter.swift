/// Prints `Value` trees as kubectl-style YAML: block style, two-space indentation, sequences under
/// a key not indented (`containers:\n- name: x`), quotes only where needed, multi-line strings as
/// literal blocks. Reading the output back gives the same tree.
///
/// Quoting is conservative on purpose: besides what YAML 1.2 needs, strings that a YAML 1.1 reader
/// (PyYAML, older kubectl) would take for something else (`yes`, `on`, `1_000`, `12:30`) are
/// quoted too, so the output means the same thing to every tool a user may feed it to.
public enum YAMLWriter {
    /// One document; ends with "\n".
    public static func write(_ value: Value) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        emitDocument(value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Several documents separated by "---\n".
    public static func writeStream(_ values: [Value]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        for (n, v) in values.enumerated() {
            if n > 0 { out.append(contentsOf: "---\n".utf8) }
            emitDocument(v, into: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func emitDocument(_ value: Value, into out: inout [UInt8]) {
        var cache = YAMLRenderCache.off
        switch value {
        case .object(let m) where !m.isEmpty: emitMap(m, indent: 0, firstPadded: true, into: &out, cache: &cache)
        case .array(let a) where !a.isEmpty: emitSequence(a, indent: 0, firstPadded: true, into: &out, cache: &cache)
        default:
            emitScalar(value, indent: 0, into: &out)
            out.append(0x0A)
        }
    }

    private static func pad(_ n: Int, _ out: inout [UInt8]) {
        // Copied from a constant: indentation is written before every line.
        let spaces: StaticString = "                                "
        var left = n
        while left > 0 {
            let step = min(left, 32)
            spaces.withUTF8Buffer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0.prefix(step))) }
            left -= step
        }
    }

    /// Entries at indentation `indent`; the first one's padding is already written when it follows
    /// a sequence dash ("- name: x"). A collection `cache` has printed before is copied from it.
    static func emitMap(_ m: OrderedMap, indent: Int, firstPadded: Bool, into out: inout [UInt8], cache: inout YAMLRenderCache) {
        let step = cache.begin(cache.isOff ? nil : m.storageAddress, indent: indent, firstPadded: firstPadded, into: &out)
        guard step.needsPrinting else { return }
        printMap(m, indent: indent, firstPadded: firstPadded, into: &out, cache: &cache)
        cache.end(step, out: out)
    }

    static func emitSequence(_ items: [Value], indent: Int, firstPadded: Bool, into out: inout [UInt8], cache: inout YAMLRenderCache) {
        let address = cache.isOff ? nil : YAMLRenderCache.address(of: items)
        let step = cache.begin(address, indent: indent, firstPadded: firstPadded, into: &out)
        guard step.needsPrinting else { return }
        printSequence(items, indent: indent, firstPadded: firstPadded, into: &out, cache: &cache)
        cache.end(step, out: out)
    }

    private static func printMap(_ m: OrderedMap, indent: Int, firstPadded: Bool, into out: inout [UInt8], cache: inout YAMLRenderCache) {
        var first = true
        for (k, v) in m {
            if !(first && !firstPadded) { pad(indent, &out) }
            first = false
            emitKey(k, into: &out)
            out.append(0x3A)
            switch v {
            case .object(let child) where !child.isEmpty:
                out.append(0x0A)
                emitMap(child, indent: indent + 2, firstPadded: true, into: &out, cache: &cache)
            case .array(let items) where !items.isEmpty:
                out.append(0x0A)
                emitSequence(items, indent: indent, firstPadded: true, into: &out, cache: &cache)
            default:
                out.append(0x20)
                emitScalar(v, indent: indent, into: &out)
                out.append(0x0A)
            }
        }
    }

    private static func printSequence(_ items: [Value], indent: Int, firstPadded: Bool, into out: inout [UInt8], cache: inout YAMLRenderCache) {
        var first = true
        for item in items {
            if !(first && !firstPadded) { pad(indent, &out) }
            first = false
            out.append(0x2D)
            out.append(0x20)
            switch item {
            case .object(let m) where !m.isEmpty:
                emitMap(m, indent: indent + 2, firstPadded: false, into: &out, cache: &cache)
            case .array(let a) where !a.isEmpty:
                emitSequence(a, indent: indent + 2, firstPadded: false, into: &out, cache: &cache)
            default:
                emitScalar(item, indent: indent, into: &out)
                out.append(0x0A)
            }
        }
    }

    /// A scalar (or empty collection) on the current line; a literal block's lines go at
    /// `indent + 2`. Leaves the line open (no final "\n").
    private static func emitScalar(_ v: Value, indent: Int, into out: inout [UInt8]) {
        switch v {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): out.append(contentsOf: formatDouble(d).utf8)
        case .string(let s): emitString(s, indent: indent, isKey: false, into: &out)
        case .array: out.append(contentsOf: [0x5B, 0x5D])
        case .object: out.append(contentsOf: [0x7B, 0x7D])
        }
    }

    static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
        return JSONWriter.formatDouble(d)
    }

    static func emitKey(_ k: String, into out: inout [UInt8]) {
        emitString(k, indent: 0, isKey: true, into: &out)
    }

    private enum Style { case plain, single, double, literal }

    private static func emitString(_ s: String, indent: Int, isKey: Bool, into out: inout [UInt8]) {
        var storage = s
        storage.withUTF8 { u in
            switch style(for: s, utf8: u, isKey: isKey) {
            case .plain: out.append(contentsOf: u)
            case .single:
                out.append(0x27)
                for c in u {
                    if c == 0x27 { out.append(0x27) }
                    out.append(c)
                }
                out.append(0x27)
            case .double: appendDoubleQuoted(s, into: &out)
            case .literal: appendLiteral(s, indent: indent + 2, into: &out)
            }
        }
    }

    /// The simplest style that reads back as exactly this string.
    private static func style(for s: String, utf8 u: UnsafeBufferPointer<UInt8>, isKey: Bool) -> Style {
        guard let first = u.first, let last = u.last else { return .single }
        if isIdentifierLike(u, first: first, last: last) { return .plain }
        var hasBreak = false
        var needsEscapes = false
        for c in u {
            if c == 0x0A {
                hasBreak = true
            } else if c < 0x20 || c == 0x7F {
                needsEscapes = true
            }
        }
        if !needsEscapes && u.contains(where: { $0 >= 0x80 }) {
            for scalar in s.unicodeScalars where isSpecialUnicode(scalar.value) {
                needsEscapes = true
                break
            }
        }
        if needsEscapes { return .double }
        if hasBreak { return !isKey && literalIsSafe(u) ? .literal : .double }
        if plainIsSafe(s, u, first: first, last: last) { return .plain }
        return .single
    }

    /// The common case, decided in one pass: a letter, then letters, digits and `._/:@-`, not
    /// ending in `:` (names, keys, images, label keys). Such text is plain unless it is one of
    /// the YAML 1.1 words; the full rules below give the same answer, only slower.
    static func isIdentifierLike(_ u: UnsafeBufferPointer<UInt8>, first: UInt8, last: UInt8) -> Bool {
        guard (first | 0x20) >= 0x61 && (first | 0x20) <= 0x7A, last != 0x3A, let base = u.baseAddress else { return false }
        // Eight bytes at a time (nearly every byte of a plan goes through here), the rest one by one.
        var i = 0
        while i + 8 <= u.count {
            if !identifierBytes(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) { return false }
            i += 8
        }
        while i < u.count {
            if !isIdentifierByte(u[i]) { return false }
            i += 1
        }
        return u.count > 5 || !isYAML11Word(u)
    }

    /// Letters, digits and `._/:@-`: a 128-bit set (bytes 0-63, 64-127) in constants, so the
    /// check costs no table lookup through a lazily initialised global.
    @inline(__always) static func isIdentifierByte(_ c: UInt8) -> Bool {
        let low: UInt64 = 0x07FF_E000_0000_0000
        let high: UInt64 = 0x07FF_FFFE_87FF_FFFF
        // One select and one test per byte; bytes from 128 up are never in the set.
        let mask = c < 64 ? low : (c < 128 ? high : 0)
        return mask & (UInt64(1) << UInt64(c & 63)) != 0
    }

    /// `isIdentifierByte` for all eight bytes of `x` at once. The set is the ranges `-` to `:`
    /// (`-./` and digits), `@` to `Z`, `_`, and `a` to `z`. For bytes below 0x80, adding
    /// 0x80 - lo sets a byte's top bit exactly when it is >= lo, and adding 0x7F - hi exactly when
    /// it is > hi; no sum carries into the next byte.
    @inline(__always) static func identifierBytes(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let top: UInt64 = 0x8080_8080_8080_8080
        if x & top != 0 { return false }
        @inline(__always) func within(_ lo: UInt64, _ hi: UInt64) -> UInt64 {
            (x &+ ones &* (0x80 - lo)) & ~(x &+ ones &* (0x7F - hi))
        }
        let inSet = within(0x2D, 0x3A) | within(0x40, 0x5A) | within(0x5F, 0x5F) | within(0x61, 0x7A)
        return inSet & top == top
    }

    /// Characters that are not printable in YAML, or that some readers take for line breaks.
    private static func isSpecialUnicode(_ v: UInt32) -> Bool {
        (0x80...0x9F).contains(v) || v == 0x2028 || v == 0x2029 || v == 0xFEFF || v == 0xFFFE || v == 0xFFFF
    }

    private static func plainIsSafe(_ s: String, _ u: UnsafeBufferPointer<UInt8>, first: UInt8, last: UInt8) -> Bool {
        // Indicators that cannot start a plain scalar (or make it mean something else).
        switch first {
        case 0x2D, 0x3F, 0x3A:  // - ? :  allowed only when followed by a non-space ("-foo", "--x")
            if u.count == 1 || u[1] == 0x20 { return false }
        case 0x2C, 0x5B, 0x5D, 0x7B, 0x7D, 0x23, 0x26, 0x2A, 0x21, 0x7C, 0x3E, 0x27, 0x22, 0x25, 0x40, 0x60, 0x20, 0x09:
            return false
        default: break
        }
        if last == 0x20 || last == 0x3A { return false }
        var prev: UInt8 = 0
        for c in u {
            if c == 0x09 { return false }
            if c == 0x23 && prev == 0x20 { return false }  // " #"
            if prev == 0x3A && c == 0x20 { return false }  // ": "
            prev = c
        }
        if u.count >= 3, (u[0] == 0x2D && u[1] == 0x2D && u[2] == 0x2D) || (u[0] == 0x2E && u[1] == 0x2E && u[2] == 0x2E) {
            return false
        }
        // Anything the core schema would read as another type stays quoted ("true", "0123", "1e3").
        if YAMLParser.resolvePlain(s) != .string(s) { return false }
        return !looksLikeYAML11NonString(u)
    }

    /// `yes`/`no`/`on`/`off`/`y`/`n` booleans, `=`, `<<`, and number-like text (`1_000`, `12:30`,
    /// `0b101`, `+.5`) that YAML 1.1 readers resolve to something other than a string.
    private static func looksLikeYAML11NonString(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        if u.count <= 5 && isYAML11Word(u) { return true }
        var k = 0
        if u[0] == 0x2B || u[0] == 0x2D { k = 1 }
        guard k < u.count else { return false }
        let c = u[k]
        guard (c >= 0x30 && c <= 0x39) || c == 0x2E else { return false }
        // Starts like a number: quote unless it clearly is ordinary text (has a letter other
        // than the few that occur in numbers).
        for j in k..<u.count {
            let d = u[j]
            let numeric = (d >= 0x30 && d <= 0x39) || d == 0x2E || d == 0x5F || d == 0x3A || d == 0x2B || d == 0x2D
                || d == 0x65 || d == 0x45 || d == 0x78 || d == 0x58 || d == 0x6F || d == 0x62
                || (d >= 0x61 && d <= 0x66) || (d >= 0x41 && d <= 0x46)
            if !numeric { return false }
        }
        return true
    }

    /// A literal block reproduces the text exactly when there are no carriage returns and no
    /// line ends in white space (kubectl makes the same choice), and the text doesn't start with
    /// a line break (which would need an indentation hint before any content).
    private static let yaml11Words: [[UInt8]] = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "=", "<<"].map { Array($0.utf8) }

    /// `u` is one of `yaml11Words`, ignoring ASCII case.
    private static func isYAML11Word(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        // Every word starts with one of `ynotf=<` (any case): most short keys ("name", "kind",
        // "spec") are told apart by their first byte without walking the list.
        guard let first = u.first, u.count <= 5 else { return false }
        switch first | 0x20 {
        case 0x79, 0x6E, 0x6F, 0x74, 0x66, 0x3D, 0x3C: break  // y n o t f = <
        default: return false
        }
        for word in yaml11Words where word.count == u.count {
            var same = true
            for j in 0..<u.count {
                let c = u[j]
                if (c >= 0x41 && c <= 0x5A ? c + 0x20 : c) != word[j] {
                    same = false
                    break
                }
            }
            if same { return true }
        }
        return false
    }

    private static func literalIsSafe(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        if u.first == 0x0A { return false }
        var prev: UInt8 = 0
        for c in u {
            if c == 0x0D { return false }
            if c == 0x0A && (prev == 0x20 || prev == 0x09) { return false }
            prev = c
        }
        return prev != 0x20 && prev != 0x09
    }

    private static func appendLiteral(_ s: String, indent: Int, into out: inout [UInt8]) {
        let u = Array(s.utf8)
        out.append(0x7C)
        // Leading white space on the first line would be taken for indentation: say it explicitly.
        if u.first == 0x20 || u.first == 0x09 { out.append(0x32) }
        var trailing = 0
        var k = u.count
        while k > 0 && u[k - 1] == 0x0A { trailing += 1; k -= 1 }
        if trailing == 0 { out.append(0x2D) } else if trailing > 1 { out.append(0x2B) }
        out.append(0x0A)
        var lineStart = 0
        let content = u[0..<k]
        while lineStart <= content.count {
            var e = lineStart
            while e < content.count, content[e] != 0x0A { e += 1 }
            if e > lineStart {
                pad(indent, &out)
                out.append(contentsOf: content[lineStart..<e])
            }
            if e >= content.count { break }
            out.append(0x0A)
            lineStart = e + 1
        }
        // Trailing line breaks: the last content line's own, then the kept empty lines. The
        // caller writes the final one.
        for _ in 0..<max(trailing - 1, 0) { out.append(0x0A) }
    }

    private static func appendDoubleQuoted(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        let hex = Array("0123456789ABCDEF".utf8)
        for scalar in s.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x00: out.append(contentsOf: [0x5C, 0x30])
            case 0x01..<0x20, 0x7F, 0x80...0x9F:
                out.append(contentsOf: [0x5C, 0x78, hex[Int(v >> 4)], hex[Int(v & 0xF)]])
            case 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF:
                out.append(contentsOf: [0x5C, 0x75])
                for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int((v >> UInt32(shift)) & 0xF)]) }
            default:
                YAMLParser.appendScalar(v, to: &out)
            }
        }
        out.append(0x22)
    }
}

/// Node properties (tags and anchors) and the YAML 1.2 core schema: what type a scalar is.
///
/// Plain scalars without a tag are resolved (`null`, `true`, `0x1F`, `1e3`, `.inf`, ...);
/// quoted and block scalars are always strings unless tagged. `!!str`, `!!int`, `!!float`,
/// `!!bool`, `!!null`, `!!map`, `!!seq` are honoured; the non-specific `!` means string; any other
/// tag (local `!foo`, `!!binary`, `!!set`, ...) is accepted and ignored, leaving a string for a
/// scalar and the collection as it is.
struct NodeProperties {
    /// The tag, with its handle expanded (`tag:yaml.org,2002:str`, `!local`, `!`).
    var tag: String?
    var anchor: String?
    var position: YAMLParser.Mark?
    var isEmpty: Bool { tag == nil && anchor == nil }
}

extension YAMLParser {
    static let coreTagPrefix = "tag:yaml.org,2002:"

    /// Reads a tag and/or an anchor (in either order) at `i`.
    mutating func parseProperties(_ props: inout NodeProperties, flow: Bool) throws(SyntaxError) {
        while i < b.count {
            let c = b[i]
            if c == 0x26 && props.anchor == nil {
                if props.position == nil { props.position = mark }
                let p = position
                i += 1
                let s = i
                while i < b.count, !Self.isBlankOrEnd(b[i]), !Self.isFlowIndicator(b[i]) { i += 1 }
                guard i > s else { throw fail("an anchor needs a name", at: p) }
                props.anchor = String(decoding: b[s..<i], as: UTF8.self)
            } else if c == 0x21 && props.tag == nil {
                if props.position == nil { props.position = mark }
                props.tag = try parseTag()
            } else {
                return
            }
            let next = peek()
            if flow && Self.isFlowIndicator(next) { return }
            guard Self.isBlankOrEnd(next) else { throw fail("a tag or an anchor must be followed by white space") }
            let save = (i, line, lineStart)
            skipWhite()
            let n = peek()
            if n != 0x21 && n != 0x26 {
                (i, line, lineStart) = save
                return
            }
        }
    }

    private mutating func parseTag() throws(SyntaxError) -> String {
        let p = position
        i += 1
        if peek() == 0x3C {
            // Verbatim: !<tag:example.com,2000:app/foo>
            i += 1
            let s = i
            while i < b.count, b[i] != 0x3E, !Self.isBlankOrEnd(b[i]) { i += 1 }
            guard peek() == 0x3E, i > s else { throw fail("unterminated verbatim tag", at: p) }
            let tag = String(decoding: b[s..<i], as: UTF8.self)
            i += 1
            if tag == "!" { throw fail("'!<!>' is not a valid tag", at: p) }
            return tag
        }
        // Handle: "!", "!!" or "!word!".
        var handle = "!"
        var k = i
        while k < b.count, Self.isWordChar(b[k]) { k += 1 }
        if k < b.count, b[k] == 0x21 {
            handle = "!" + String(decoding: b[i..<k], as: UTF8.self) + "!"
            i = k + 1
        }
        let s = i
        while i < b.count, !Self.isBlankOrEnd(b[i]), !Self.isFlowIndicator(b[i]) {
            if b[i] == 0x21 { throw fail("invalid '!' inside a tag", at: p) }
            i += 1
        }
        let suffix = Self.percentDecoded(b[s..<i])
        let prefix: String
        switch handle {
        case "!!": prefix = tagHandles["!!"] ?? Self.coreTagPrefix
        case "!": prefix = tagHandles["!"] ?? "!"
        default:
            guard let declared = tagHandles[handle] else { throw fail("undefined tag handle \(handle)", at: p) }
            prefix = declared
        }
        if handle != "!" && suffix.isEmpty { throw fail("a tag needs a name after its handle", at: p) }
        return prefix + suffix
    }

    @inline(__always) static func isWordChar(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D
    }

    static func percentDecoded(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(0x25) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        var k = bytes.startIndex
        while k < bytes.endIndex {
            if bytes[k] == 0x25, k + 2 < bytes.endIndex, let h = hexValue(bytes[k + 1]), let l = hexValue(bytes[k + 2]) {
                out.append(UInt8(h << 4 | l))
                k += 3
            } else {
                out.append(bytes[k])
                k += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always) static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c - 0x30)
        case 0x41...0x46: return UInt32(c - 0x41 + 10)
        case 0x61...0x66: return UInt32(c - 0x61 + 10)
        default: return nil
        }
    }

    /// Applies a tag to a collection: `!!map` / `!!seq` must match; scalar tags are an error.
    func applyTag(_ props: NodeProperties, to value: Value) throws(SyntaxError) -> Value {
        guard let tag = props.tag, tag.hasPrefix(Self.coreTagPrefix) else { return value }
        let name = tag.dropFirst(Self.coreTagPrefix.count)
        let at = position(of: props.position ?? mark)
        switch (name, value) {
        case ("map", .object), ("seq", .array): return value
        case ("map", _), ("seq", _), ("str", _), ("int", _), ("float", _), ("bool", _), ("null", _):
            throw SyntaxError("tag !!\(name) does not fit \(value.typeName)", at: at)
        default: return value
        }
    }

    /// The value of a scalar with the given text, style and tag.
    func resolveScalar(_ text: String, plain: Bool, tag: String?, at p: Mark, empty: Bool = false) throws(SyntaxError) -> Value {
        guard let tag else {
            return plain ? Self.resolvePlain(text) : .string(text)
        }
        guard tag.hasPrefix(Self.coreTagPrefix) else { return .string(text) }
        let name = tag.dropFirst(Self.coreTagPrefix.count)
        switch name {
        case "str": return .string(text)
        case "null":
            if text.isEmpty || Self.resolvePlain(text) == .null { return .null }
        case "bool":
            if case .bool(let v) = Self.resolvePlain(text) { return .bool(v) }
        case "int":
            if case .int(let v) = Self.resolvePlain(text) { return .int(v) }
        case "float":
            switch Self.resolvePlain(text) {
            case .int(let v): return .double(Double(v))
            case .double(let d): return .double(d)
            default: break
            }
        case "map":
            if empty { return .object(OrderedMap()) }
        case "seq":
            if empty { return .array([]) }
        default:
            return .string(text)
        }
        throw SyntaxError("'\(text)' is not a valid !!\(name)", at: position(of: p))
    }

    /// Core-schema resolution of an untagged plain scalar.
    static func resolvePlain(_ text: String) -> Value {
        var copy = text
        return copy.withUTF8 { u -> Value in
            guard let first = u.first else { return .null }
            switch first {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
                return resolveNumber(u) ?? .string(text)
            case UInt8(ascii: "~"):
                return u.count == 1 ? .null : .string(text)
            case UInt8(ascii: "n"), UInt8(ascii: "N"):
                if equals(u, "null") || equals(u, "Null") || equals(u, "NULL") { return .null }
            case UInt8(ascii: "t"), UInt8(ascii: "T"):
                if equals(u, "true") || equals(u, "True") || equals(u, "TRUE") { return .bool(true) }
            case UInt8(ascii: "f"), UInt8(ascii: "F"):
                if equals(u, "false") || equals(u, "False") || equals(u, "FALSE") { return .bool(false) }
            default: break
            }
            return .string(text)
        }
    }

    @inline(__always) static func equals(_ u: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard u.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for k in 0..<u.count where u[k] != w[k] { return false }
        return true
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// Ints (decimal, `0o`, `0x`) and floats (`1.5`, `1e3`, `.5`, `.inf`, `.nan`) of the core
    /// schema; nil when the text is none of them.
    static func resolveNumber(_ u: UnsafeBufferPointer<UInt8>) -> Value? {
        let n = u.count
        var k = 0
        var negative = false
        if u[0] == 0x2D || u[0] == 0x2B {
            negative = u[0] == 0x2D
            k = 1
        }
        guard k < n else { return nil }
        // Special floats.
        if u[k] == 0x2E, n - k == 4 {
            let rest = UnsafeBufferPointer(rebasing: u[(k)...])
            if equals(rest, ".inf") || equals(rest, ".Inf") || equals(rest, ".INF") {
                return .double(negative ? -.infinity : .infinity)
            }
            if k == 0, equals(rest, ".nan") || equals(rest, ".NaN") || equals(rest, ".NAN") { return .double(.nan) }
        }
        // 0o / 0x (unsigned only, as the core schema says).
        if k == 0, n > 2, u[0] == 0x30, u[1] == 0x6F || u[1] == 0x78 {
            let radix: UInt64 = u[1] == 0x6F ? 8 : 16
            var v: UInt64 = 0
            for j in 2..<n {
                guard let d = hexValue(u[j]), UInt64(d) < radix else { return nil }
                let (m, o1) = v.multipliedReportingOverflow(by: radix)
                let (s, o2) = m.addingReportingOverflow(UInt64(d))
                if o1 || o2 { return nil }
                v = s
            }
            return v <= UInt64(Int64.max) ? .int(Int64(v)) : .double(Double(v))
        }
        // Decimal int or float: [-+]?( \.[0-9]+ | [0-9]+(\.[0-9]*)? )([eE][-+]?[0-9]+)?
        var j = k
        var intDigits = 0
        while j < n, isDigit(u[j]) { j += 1; intDigits += 1 }
        var isFloat = false
        if j < n, u[j] == 0x2E {
            isFloat = true
            j += 1
            var frac = 0
            while j < n, isDigit(u[j]) { j += 1; frac += 1 }
            if intDigits == 0 && frac == 0 { return nil }
        } else if intDigits == 0 {
            return nil
        }
        if j < n, u[j] == 0x65 || u[j] == 0x45 {
            isFloat = true
            j += 1
            if j < n, u[j] == 0x2D || u[j] == 0x2B { j += 1 }
            var e = 0
            while j < n, isDigit(u[j]) { j += 1; e += 1 }
            if e == 0 { return nil }
        }
        guard j == n else { return nil }
        if !isFloat {
            // Decimal int straight from the bytes; beyond Int64 it becomes a float.
            var v: Int64 = 0
            var overflow = false
            for q in k..<n {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(u[q] - 0x30)) : m.addingReportingOverflow(Int64(u[q] - 0x30))
                if o1 || o2 { overflow = true; break }
                v = s
            }
            if !overflow { return .int(v) }
        }
        let text = String(decoding: u, as: UTF8.self)
        if let d = Double(text) { return .double(d) }
        // Swift's parser may refuse "1." or ".5" forms: add the missing zeros.
        var fixed: [UInt8] = []
        fixed.reserveCapacity(n + 2)
        for j in 0..<n {
            if u[j] == 0x2E {
                if j == 0 || !isDigit(u[j - 1]) { fixed.append(0x30) }
                fixed.append(0x2E)
                if j + 1 >= n || !isDigit(u[j + 1]) { fixed.append(0x30) }
            } else {
                fixed.append(u[j])
            }
        }
        return Double(String(decoding: fixed, as: UTF8.self)).map { .double($0) }
    }
}

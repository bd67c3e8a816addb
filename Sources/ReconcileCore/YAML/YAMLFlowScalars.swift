/// Flow scalars: plain, single-quoted and double-quoted, with line folding and escapes.
///
/// Line folding (YAML 1.2 §6.5): a single line break between two lines becomes a space, each
/// further empty line a "\n"; white space around breaks is dropped. In double quotes a `\` before
/// the break joins the lines without a space.
extension YAMLParser {
    // MARK: Plain

    /// A plain scalar starting at `i`. In block context it may continue on following lines indented
    /// more than `parent`; it never includes ": " or " #". Returns the folded text.
    mutating func parsePlain(parent n: Int, flow: Bool) throws(SyntaxError) -> String {
        let c = b[i]
        switch c {
        case 0x2D, 0x3F, 0x3A:
            let next = peek(1)
            if Self.isBlankOrEnd(next) || (flow && Self.isFlowIndicator(next)) {
                throw fail("unexpected '\(Self.printable(c))'")
            }
        case 0x2C, 0x5B, 0x5D, 0x7B, 0x7D, 0x23, 0x26, 0x2A, 0x21, 0x7C, 0x3E, 0x27, 0x22, 0x25, 0x40, 0x60:
            throw fail(c == 0x40 || c == 0x60
                ? "'\(Self.printable(c))' is reserved and cannot start a plain scalar (quote the value)"
                : "unexpected '\(Self.printable(c))'")
        default: break
        }
        let s = i
        var reachedLineEnd = scanPlainLine(flow: flow)
        let e = i
        guard reachedLineEnd else { return String(decoding: b[s..<e], as: UTF8.self) }
        var out: [UInt8]? = nil
        while true {
            let save = (i, line, lineStart)
            skipWhite()
            guard i < b.count, b[i] == 0x0A || b[i] == 0x0D else {
                (i, line, lineStart) = save
                break
            }
            var breaks = 0
            repeat {
                consumeBreak()
                breaks += 1
                skipWhite()
            } while i < b.count && (b[i] == 0x0A || b[i] == 0x0D)
            if atEnd || b[i] == 0x23 {
                (i, line, lineStart) = save
                break
            }
            let spaces = indentation().spaces
            if spaces <= n || (i == lineStart && atDocumentMarker()) {
                (i, line, lineStart) = save
                break
            }
            let d = b[i]
            if flow && Self.isFlowIndicator(d) {
                (i, line, lineStart) = save
                break
            }
            if d == 0x3A && (Self.isBlankOrEnd(peek(1)) || (flow && Self.isFlowIndicator(peek(1)))) {
                (i, line, lineStart) = save
                break
            }
            let s2 = i
            reachedLineEnd = scanPlainLine(flow: flow)
            if out == nil { out = Array(b[s..<e]) }
            if breaks == 1 {
                out?.append(0x20)
            } else {
                for _ in 1..<breaks { out?.append(0x0A) }
            }
            out?.append(contentsOf: b[s2..<i])
            if !reachedLineEnd { break }
        }
        if let out { return String(decoding: out, as: UTF8.self) }
        return String(decoding: b[s..<e], as: UTF8.self)
    }

    /// Scans one line of plain text from `i`; leaves `i` after its last non-white character.
    /// Returns true when the line's end was reached (so the scalar may continue).
    private mutating func scanPlainLine(flow: Bool) -> Bool {
        let s = i
        var end = i
        var atLineEnd = true
        while i < b.count {
            let c = b[i]
            if c == 0x0A || c == 0x0D { break }
            if c == 0x3A {
                let next = peek(1)
                if Self.isBlankOrEnd(next) || (flow && Self.isFlowIndicator(next)) {
                    atLineEnd = false
                    break
                }
            } else if c == 0x23 {
                if i > s && Self.isWhite(b[i - 1]) {
                    atLineEnd = false
                    break
                }
            } else if flow && Self.isFlowIndicator(c) {
                atLineEnd = false
                break
            }
            i += 1
            if c != 0x20 && c != 0x09 { end = i }
        }
        i = end
        return atLineEnd
    }

    static func printable(_ c: UInt8) -> String {
        c >= 0x20 && c < 0x7F ? String(UnicodeScalar(c)) : "\\x" + String(c, radix: 16)
    }

    // MARK: Quoted

    mutating func parseSingleQuoted(parent n: Int, flow: Bool) throws(SyntaxError) -> String {
        let start = position
        i += 1
        var seg = i
        var out: [UInt8] = []
        var usedOut = false
        while true {
            guard i < b.count else { throw fail("unterminated single-quoted string", at: start) }
            let c = b[i]
            if c == 0x27 {
                if peek(1) == 0x27 {
                    out.append(contentsOf: b[seg..<(i + 1)])
                    usedOut = true
                    i += 2
                    seg = i
                    continue
                }
                let text = usedOut ? String(decoding: out + b[seg..<i], as: UTF8.self) : String(decoding: b[seg..<i], as: UTF8.self)
                i += 1
                return text
            }
            if c == 0x20 || c == 0x09 {
                let ws = i
                skipWhite()
                if i < b.count, b[i] == 0x0A || b[i] == 0x0D {
                    out.append(contentsOf: b[seg..<ws])
                    usedOut = true
                    try foldQuotedBreak(into: &out, escaped: false, parent: n, start: start, what: "single-quoted string")
                    seg = i
                }
                continue
            }
            if c == 0x0A || c == 0x0D {
                out.append(contentsOf: b[seg..<i])
                usedOut = true
                try foldQuotedBreak(into: &out, escaped: false, parent: n, start: start, what: "single-quoted string")
                seg = i
                continue
            }
            i += 1
        }
    }

    mutating func parseDoubleQuoted(parent n: Int, flow: Bool) throws(SyntaxError) -> String {
        let start = position
        i += 1
        var seg = i
        var out: [UInt8] = []
        var usedOut = false
        while true {
            guard i < b.count else { throw fail("unterminated double-quoted string", at: start) }
            let c = b[i]
            switch c {
            case 0x22:
                let text = usedOut ? String(decoding: out + b[seg..<i], as: UTF8.self) : String(decoding: b[seg..<i], as: UTF8.self)
                i += 1
                return text
            case 0x5C:
                out.append(contentsOf: b[seg..<i])
                usedOut = true
                try parseEscape(into: &out, parent: n, start: start)
                seg = i
            case 0x20, 0x09:
                let ws = i
                skipWhite()
                if i < b.count, b[i] == 0x0A || b[i] == 0x0D {
                    out.append(contentsOf: b[seg..<ws])
                    usedOut = true
                    try foldQuotedBreak(into: &out, escaped: false, parent: n, start: start, what: "double-quoted string")
                    seg = i
                }
            case 0x0A, 0x0D:
                out.append(contentsOf: b[seg..<i])
                usedOut = true
                try foldQuotedBreak(into: &out, escaped: false, parent: n, start: start, what: "double-quoted string")
                seg = i
            default:
                i += 1
            }
        }
    }

    /// At a line break inside a quoted scalar: consume it and the following empty lines and
    /// indentation, appending the folded result.
    private mutating func foldQuotedBreak(into out: inout [UInt8], escaped: Bool, parent n: Int, start: SourcePosition, what: String) throws(SyntaxError) {
        var empties = 0
        consumeBreak()
        while true {
            if atDocumentMarker() { throw fail("document marker inside a \(what) (unterminated string?)") }
            skipWhite()
            guard i < b.count else { throw fail("unterminated \(what)", at: start) }
            if b[i] == 0x0A || b[i] == 0x0D {
                empties += 1
                consumeBreak()
                continue
            }
            break
        }
        if indentation().spaces <= n {
            throw fail("a continuation line of a multi-line \(what) must be indented more than its parent")
        }
        if escaped {
            for _ in 0..<empties { out.append(0x0A) }
        } else if empties == 0 {
            out.append(0x20)
        } else {
            for _ in 0..<empties { out.append(0x0A) }
        }
    }

    private mutating func parseEscape(into out: inout [UInt8], parent n: Int, start: SourcePosition) throws(SyntaxError) {
        let escapePos = position
        i += 1
        guard i < b.count else { throw fail("unterminated double-quoted string", at: start) }
        let e = b[i]
        i += 1
        switch e {
        case 0x30: out.append(0x00)
        case 0x61: out.append(0x07)
        case 0x62: out.append(0x08)
        case 0x74, 0x09: out.append(0x09)
        case 0x6E: out.append(0x0A)
        case 0x76: out.append(0x0B)
        case 0x66: out.append(0x0C)
        case 0x72: out.append(0x0D)
        case 0x65: out.append(0x1B)
        case 0x20: out.append(0x20)
        case 0x22: out.append(0x22)
        case 0x2F: out.append(0x2F)
        case 0x5C: out.append(0x5C)
        case 0x4E: Self.appendScalar(0x85, to: &out)
        case 0x5F: Self.appendScalar(0xA0, to: &out)
        case 0x4C: Self.appendScalar(0x2028, to: &out)
        case 0x50: Self.appendScalar(0x2029, to: &out)
        case 0x78, 0x75, 0x55:
            let count = e == 0x78 ? 2 : e == 0x75 ? 4 : 8
            var v: UInt32 = 0
            for _ in 0..<count {
                guard i < b.count, let d = Self.hexValue(b[i]) else {
                    throw fail("invalid escape: '\\\(Self.printable(e))' needs \(count) hex digits", at: escapePos)
                }
                v = v << 4 | d
                i += 1
            }
            guard v <= 0x10FFFF, !(0xD800...0xDFFF).contains(v) else {
                throw fail("invalid escape: not a Unicode scalar value", at: escapePos)
            }
            Self.appendScalar(v, to: &out)
        case 0x0A, 0x0D:
            // Escaped line break: lines join without a space.
            i -= 1
            try foldQuotedBreak(into: &out, escaped: true, parent: n, start: start, what: "double-quoted string")
        default:
            throw fail("invalid escape '\\\(Self.printable(e))' in a double-quoted string", at: escapePos)
        }
    }

    static func appendScalar(_ v: UInt32, to out: inout [UInt8]) {
        switch v {
        case 0..<0x80: out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18)))
            out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}

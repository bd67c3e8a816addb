/// Block scalars: literal `|` and folded `>`, with chomping (`-` strip, `+` keep, default clip)
/// and an optional indentation indicator (`|2`).
extension YAMLParser {
    /// Parses a block scalar whose indicator is at `i`; `parent` is the indentation of the
    /// enclosing block collection (-1 at document level). Leaves `i` at the start of the first
    /// line that is not part of the scalar.
    mutating func parseBlockScalar(parent n: Int, folded: Bool) throws(SyntaxError) -> String {
        i += 1
        var explicitIndent = 0
        var chomp = 0  // -1 strip, 0 clip, +1 keep
        var chompSet = false
        for _ in 0..<2 {
            let c = peek()
            if c >= 0x31 && c <= 0x39 && explicitIndent == 0 {
                explicitIndent = Int(c - 0x30)
                i += 1
            } else if (c == 0x2B || c == 0x2D) && !chompSet {
                chomp = c == 0x2B ? 1 : -1
                chompSet = true
                i += 1
            } else if c == 0x30 {
                throw fail("a block scalar's indentation indicator must be 1 to 9")
            } else {
                break
            }
        }
        guard Self.isBlankOrEnd(peek()) else { throw fail("invalid block scalar header") }
        skipWhite()
        skipCommentIfAny()
        guard Self.isBreakOrEnd(peek()) else { throw fail("invalid block scalar header") }
        if atEnd { return "" }
        consumeBreak()

        // Content indentation: explicit, or that of the first non-empty line.
        var indent: Int
        if explicitIndent > 0 {
            indent = max(n, 0) + explicitIndent
        } else {
            var k = i
            var maxBlank = 0
            var found = -1
            while k < b.count {
                var sp = 0
                while k < b.count, b[k] == 0x20 { k += 1; sp += 1 }
                if k >= b.count { maxBlank = max(maxBlank, sp); break }
                if b[k] == 0x0A || b[k] == 0x0D {
                    maxBlank = max(maxBlank, sp)
                    if b[k] == 0x0D, k + 1 < b.count, b[k + 1] == 0x0A { k += 1 }
                    k += 1
                    continue
                }
                found = sp
                break
            }
            if found > n {
                if maxBlank > found {
                    throw fail("a leading empty line of a block scalar has more spaces than its first content line")
                }
                indent = found
            } else {
                indent = max(n + 1, maxBlank)
            }
        }

        var out: [UInt8] = []
        var pending = 0
        var hadContent = false
        var prevMoreIndented = false
        while i < b.count {
            let lineBegin = i
            var sp = 0
            while sp < indent, i < b.count, b[i] == 0x20 { i += 1; sp += 1 }
            if i >= b.count {
                // A last line of spaces without a line break still ends a line.
                if sp > 0 { pending += 1 }
                break
            }
            let c = b[i]
            if sp < indent {
                if c == 0x09 && i == lineStart + sp {
                    var k = i
                    while k < b.count, b[k] == 0x20 || b[k] == 0x09 { k += 1 }
                    if k >= b.count || b[k] == 0x0A || b[k] == 0x0D {
                        throw fail("tab characters must not be used in indentation")
                    }
                }
                if c == 0x0A || c == 0x0D {
                    pending += 1
                    consumeBreak()
                    continue
                }
                i = lineBegin
                break
            }
            if lineBegin == lineStart && indent == 0 && atDocumentMarkerAt(lineBegin) {
                i = lineBegin
                break
            }
            let s = i
            while i < b.count, b[i] != 0x0A, b[i] != 0x0D { i += 1 }
            let e = i
            let hasBreak = i < b.count
            if s == e {
                if hasBreak {
                    pending += 1
                    consumeBreak()
                    continue
                }
                break
            }
            let moreIndented = b[s] == 0x20 || b[s] == 0x09
            if !hadContent || !folded || prevMoreIndented || moreIndented {
                for _ in 0..<pending { out.append(0x0A) }
            } else if pending == 1 {
                out.append(0x20)
            } else {
                for _ in 1..<max(pending, 1) { out.append(0x0A) }
            }
            out.append(contentsOf: b[s..<e])
            hadContent = true
            prevMoreIndented = moreIndented
            // The end of the input ends the last line like a line break.
            pending = 1
            if hasBreak { consumeBreak() }
        }
        switch chomp {
        case 1: for _ in 0..<pending { out.append(0x0A) }
        case 0: if hadContent && pending > 0 { out.append(0x0A) }
        default: break
        }
        return String(decoding: out, as: UTF8.self)
    }

    func atDocumentMarkerAt(_ k: Int) -> Bool {
        guard k + 2 < b.count else { return false }
        let c = b[k]
        guard c == 0x2D || c == 0x2E, b[k + 1] == c, b[k + 2] == c else { return false }
        return k + 3 >= b.count || Self.isBlankOrEnd(b[k + 3])
    }
}

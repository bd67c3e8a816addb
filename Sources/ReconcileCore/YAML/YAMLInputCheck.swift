/// Checks a YAML stream's bytes before parsing: valid UTF-8 and only printable characters.
///
/// Doing it once up front, in one tight loop, lets the parser slice strings out of the input
/// without re-validating each one, and gives the bad byte's exact line and column.
enum YAMLInputCheck {
    static func validate(_ b: [UInt8], firstLine: Int = 1) throws(SyntaxError) {
        let n = b.count
        var i = 0
        while i < n {
            let c = b[i]
            if c < 0x80 {
                if c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D || c == 0x7F {
                    throw SyntaxError("control character \\x\(String(c, radix: 16)) is not allowed in YAML", at: position(of: i, in: b, firstLine: firstLine))
                }
                i += 1
                continue
            }
            let len: Int
            var scalar: UInt32
            switch c {
            case 0xC2...0xDF: len = 2; scalar = UInt32(c & 0x1F)
            case 0xE0...0xEF: len = 3; scalar = UInt32(c & 0x0F)
            case 0xF0...0xF4: len = 4; scalar = UInt32(c & 0x07)
            default: throw invalid(i, b, firstLine)
            }
            guard i + len <= n else { throw invalid(i, b, firstLine) }
            for k in 1..<len {
                let cc = b[i + k]
                guard cc & 0xC0 == 0x80 else { throw invalid(i, b, firstLine) }
                scalar = scalar << 6 | UInt32(cc & 0x3F)
            }
            switch len {
            case 3 where scalar < 0x800 || (0xD800...0xDFFF).contains(scalar): throw invalid(i, b, firstLine)
            case 4 where scalar < 0x10000 || scalar > 0x10FFFF: throw invalid(i, b, firstLine)
            default: break
            }
            i += len
        }
    }

    private static func invalid(_ i: Int, _ b: [UInt8], _ firstLine: Int) -> SyntaxError {
        let c = i < b.count ? b[i] : 0
        return SyntaxError("invalid UTF-8 byte 0x\(String(c, radix: 16, uppercase: true))", at: position(of: i, in: b, firstLine: firstLine))
    }

    /// Line and column (in characters) of a byte offset; only used for errors, so a plain scan.
    static func position(of index: Int, in b: [UInt8], firstLine: Int = 1) -> SourcePosition {
        var line = firstLine
        var column = 1
        var i = 0
        let end = min(index, b.count)
        while i < end {
            let c = b[i]
            if c == 0x0A || (c == 0x0D && (i + 1 >= b.count || b[i + 1] != 0x0A)) {
                line += 1
                column = 1
            } else if c & 0xC0 != 0x80 && c != 0x0D {
                column += 1
            }
            i += 1
        }
        return SourcePosition(line: line, column: column)
    }
}

/// A strict RFC 8259 JSON reader over UTF-8 bytes, producing `Value` trees.
///
/// JSON input is common (`kubectl get -o json`, the API server's own responses), so it gets its
/// own fast path instead of going through the YAML reader.
public struct JSONReader {
    private let bytes: [UInt8]
    private var i = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0
    private let recordPositions: Bool
    private var positions: [String: SourcePosition] = [:]
    /// Notes where the root object's `items` start and takes them out of the tree as they are
    /// parsed (loading Lists); `.off` keeps every document whole.
    private var detacher: ListItemDetacher
    public static let maxDepth = 512

    private init(_ bytes: [UInt8], recordPositions: Bool, detacher: ListItemDetacher = .off) {
        self.bytes = bytes
        self.recordPositions = recordPositions
        self.detacher = detacher
    }

    /// Parses exactly one JSON value (surrounded by optional white space).
    public static func parse(_ text: String) throws(SyntaxError) -> Value {
        try parse(bytes: Array(text.utf8))
    }
    public static func parse(bytes: [UInt8]) throws(SyntaxError) -> Value {
        var r = JSONReader(bytes, recordPositions: false)
        return try r.parseDocumentValue()
    }

    /// Parses a sequence of JSON values one after another (as `in.json` files and `kubectl -o json`
    /// streams hold them).
    /// detacher: takes each document's `items` out of its tree as they are read (loading Lists).
    public static func parseStream(bytes: [UInt8], recordPositions: Bool = false, detacher: ListItemDetacher = .off) throws(SyntaxError) -> [ParsedDocument] {
        var r = JSONReader(bytes, recordPositions: recordPositions, detacher: detacher)
        var docs: [ParsedDocument] = []
        r.skipWhitespace()
        while r.i < r.bytes.count {
            let start = r.position
            r.positions = [:]
            let v = try r.parseValue(path: "")
            let items = r.detacher.finishDocument()
            docs.append(ParsedDocument(value: v, position: start, fieldPositions: r.positions, detachedItems: items.taken, itemPositions: items.positions))
            r.skipWhitespace()
        }
        return docs
    }

    private mutating func parseDocumentValue() throws(SyntaxError) -> Value {
        skipWhitespace()
        let v = try parseValue(path: "")
        skipWhitespace()
        if i < bytes.count { throw fail("unexpected content after the JSON value") }
        return v
    }

    private var position: SourcePosition { SourcePosition(line: line, column: i - lineStart + 1) }
    private func fail(_ message: String) -> SyntaxError { SyntaxError(message, at: position) }

    private mutating func skipWhitespace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0D: i += 1
            case 0x0A:
                i += 1
                line += 1
                lineStart = i
            default: return
            }
        }
    }

    private mutating func parseValue(path: String) throws(SyntaxError) -> Value {
        guard i < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try parseObject(path: path)
        case UInt8(ascii: "["): return try parseArray(path: path)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected character '\(Self.printable(bytes[i]))'")
        }
    }

    static func printable(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16)
    }

    private mutating func literal(_ word: StaticString) throws(SyntaxError) {
        let w = word.utf8Start
        for k in 0..<word.utf8CodeUnitCount {
            guard i + k < bytes.count, bytes[i + k] == w[k] else { throw fail("invalid literal") }
        }
        i += word.utf8CodeUnitCount
    }

    private mutating func enter() throws(SyntaxError) {
        depth += 1
        if depth > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth) levels") }
    }

    private mutating func parseObject(path: String) throws(SyntaxError) -> Value {
        try enter()
        i += 1
        var map = OrderedMap()
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
            depth -= 1
            return .object(map)
        }
        while true {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let keyPos = position
            let key = try parseString()
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':' after key") }
            i += 1
            skipWhitespace()
            let childPath = path.isEmpty ? key : path + "." + key
            if recordPositions { positions[childPath] = keyPos }
            // A root object's value: where the detacher looks for the `items` (it does nothing when off).
            if depth == 1 { detacher.willParseRootValue(key: key, depth: depth) }
            let v = try parseValue(path: childPath)
            if depth == 1 { detacher.didParseRootValue() }
            if !map.insertNew(key, v) {
                throw SyntaxError("duplicate key \"\(key)\"", at: keyPos)
            }
            skipWhitespace()
            guard i < bytes.count else { throw fail("unexpected end of input in object") }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if bytes[i] == UInt8(ascii: "}") {
                i += 1
                depth -= 1
                return .object(map)
            }
            throw fail("expected ',' or '}'")
        }
    }

    private mutating func parseArray(path: String) throws(SyntaxError) -> Value {
        try enter()
        let isItems = detacher.isItems(atDepth: depth)
        i += 1
        var items: [Value] = []
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
            i += 1
            depth -= 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            let childPath = "\(path)[\(items.count)]"
            if recordPositions { positions[childPath] = position }
            if isItems { detacher.itemStarts(at: position) }
            let item = try parseValue(path: childPath)
            items.append(isItems ? detacher.itemParsed(item) : item)
            skipWhitespace()
            guard i < bytes.count else { throw fail("unexpected end of input in array") }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if bytes[i] == UInt8(ascii: "]") {
                i += 1
                depth -= 1
                return .array(items)
            }
            throw fail("expected ',' or ']'")
        }
    }

    private mutating func parseString() throws(SyntaxError) -> String {
        i += 1
        let start = i
        // Fast path: no escapes.
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: bytes[start..<i], as: UTF8.self)
                guard Self.isValidUTF8(bytes[start..<i]) else { throw fail("invalid UTF-8 in string") }
                i += 1
                return s
            }
            if b == UInt8(ascii: "\\") || b < 0x20 { break }
            i += 1
        }
        var out: [UInt8] = Array(bytes[start..<i])
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                guard Self.isValidUTF8(out[...]) else { throw fail("invalid UTF-8 in string") }
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { throw fail("control character in string") }
            if b == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.count else { break }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw fail("unpaired surrogate in \\u escape")
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("invalid surrogate pair") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw fail("unpaired surrogate in \\u escape")
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default:
                    throw fail("invalid escape '\\\(Self.printable(e))'")
                }
                continue
            }
            out.append(b)
            i += 1
        }
        throw fail("unterminated string")
    }

    private mutating func hex4() throws(SyntaxError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 55)
            default: throw fail("invalid hex digit in \\u escape")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }

    private mutating func parseNumber() throws(SyntaxError) -> Value {
        let start = i
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 else { throw fail("invalid number") }
        if bytes[i] == 48 {
            i += 1
            if i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { throw fail("leading zero in number") }
        } else {
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
        }
        var isFloat = false
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            isFloat = true
            i += 1
            guard i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 else { throw fail("invalid number") }
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            isFloat = true
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 else { throw fail("invalid number") }
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if !isFloat, let v = Int64(text) { return .int(v) }
        guard let d = Double(text) else { throw fail("invalid number") }
        return .double(d)
    }

    static func isValidUTF8(_ slice: ArraySlice<UInt8>) -> Bool {
        var it = slice.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}

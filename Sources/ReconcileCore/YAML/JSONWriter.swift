/// Prints `Value` trees as JSON: two-space indentation like `kubectl -o json`, or compact.
/// Keys come out in the tree's own order, so the caller decides: the order read, or sorted.
public enum JSONWriter {
    public static func write(_ value: Value, pretty: Bool = true, sortKeys: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        emit(value, into: &out, indent: pretty ? 0 : -1, sortKeys: sortKeys)
        if pretty { out.append(0x0A) }
        return String(decoding: out, as: UTF8.self)
    }

    static func emit(_ value: Value, into out: inout [UInt8], indent: Int, sortKeys: Bool) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): out.append(contentsOf: formatDouble(d).utf8)
        case .string(let s): appendQuoted(s, into: &out)
        case .array(let items):
            if items.isEmpty {
                out.append(contentsOf: [0x5B, 0x5D])
                return
            }
            out.append(0x5B)
            for (n, item) in items.enumerated() {
                if n > 0 { out.append(0x2C) }
                newline(&out, indent + 1, indent)
                emit(item, into: &out, indent: indent < 0 ? -1 : indent + 1, sortKeys: sortKeys)
            }
            newline(&out, indent, indent)
            out.append(0x5D)
        case .object(let map):
            if map.isEmpty {
                out.append(contentsOf: [0x7B, 0x7D])
                return
            }
            let m = sortKeys ? map.sortedByKey() : map
            out.append(0x7B)
            var first = true
            for (k, v) in m {
                if !first { out.append(0x2C) }
                first = false
                newline(&out, indent + 1, indent)
                appendQuoted(k, into: &out)
                out.append(0x3A)
                if indent >= 0 { out.append(0x20) }
                emit(v, into: &out, indent: indent < 0 ? -1 : indent + 1, sortKeys: sortKeys)
            }
            newline(&out, indent, indent)
            out.append(0x7D)
        }
    }

    static func newline(_ out: inout [UInt8], _ level: Int, _ indent: Int) {
        guard indent >= 0 else { return }
        out.append(0x0A)
        for _ in 0..<(level * 2) { out.append(0x20) }
    }

    /// Integral doubles print without a fraction when small enough (as Go and Python do for JSON
    /// numbers read back as floats would not); non-finite values have no JSON form and print as null.
    public static func formatDouble(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) + ".0" }
        return "\(d)"
    }

    public static func appendQuoted(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        var text = s
        text.withUTF8 { u in
            // Most strings need no escape: copy them whole.
            if !u.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
                out.append(contentsOf: u)
            } else {
                appendEscaped(u, into: &out)
            }
        }
        out.append(0x22)
    }

    private static func appendEscaped(_ u: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        for b in u {
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x08: out.append(contentsOf: [0x5C, 0x62])
            case 0x0C: out.append(contentsOf: [0x5C, 0x66])
            case 0..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                let hex = Array("0123456789abcdef".utf8)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            default: out.append(b)
            }
        }
    }
}

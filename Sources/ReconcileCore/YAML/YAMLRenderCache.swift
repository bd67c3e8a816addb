/// YAML already printed for collections that builders share between desired objects (a Role's
/// rules, probes, security contexts: `static let`s), found again by the address of their storage.
///
/// Every item of a plan holds the same storage for these parts, and a 10,000-server plan printed
/// the same few kilobytes per server node by node, with the same quoting decisions each time. The
/// cache is given the shared collections up front and references them, so their storage neither
/// moves nor changes (copy on write never changes storage that is referenced twice): an address
/// found in the cache is that collection, which prints the same at the same indentation. Other
/// collections cost one failed lookup.
///
/// One cache per thread of writing (it is a value; copies are independent).
public struct YAMLRenderCache: Sendable {
    private struct Entry: Sendable {
        var address: UInt
        /// What was printed at each (indentation, first line padded) met so far.
        var printed: [(indent: Int, firstPadded: Bool, bytes: [UInt8])] = []
    }

    /// The shared collections, referenced so their storage stays put.
    private let constants: [Value]
    /// Open addressing by address; empty when the cache is off.
    private var slots: [Entry?]
    /// One bit per slot position modulo 64, set when some constant hashes there: most lookups
    /// end on this word without touching `slots`.
    private var filter: UInt64 = 0

    /// A cache that holds nothing: every lookup fails.
    public static var off: YAMLRenderCache { YAMLRenderCache(constants: []) }

    /// `constants`: collections (maps or lists) that many printed documents share; anything else
    /// is ignored.
    public init(constants: [Value]) {
        var kept: [Value] = []
        var addresses: [UInt] = []
        for c in constants {
            guard let a = Self.address(of: c), !addresses.contains(a) else { continue }
            kept.append(c)
            addresses.append(a)
        }
        self.constants = kept
        var size = 0
        if !addresses.isEmpty {
            size = 16
            while size < addresses.count * 4 { size <<= 1 }
        }
        slots = Array(repeating: nil, count: size)
        for a in addresses {
            var i = slot(a)
            while slots[i] != nil { i = (i + 1) & (size - 1) }
            slots[i] = Entry(address: a)
            filter |= 1 << UInt64(i & 63)
        }
    }

    public var isOff: Bool { slots.isEmpty }

    /// Where a non-empty map's or list's elements are stored.
    static func address(of value: Value) -> UInt? {
        switch value {
        case .object(let m) where !m.isEmpty: return m.storageAddress
        case .array(let a) where !a.isEmpty: return address(of: a)
        default: return nil
        }
    }

    /// Where a list's elements are stored (`OrderedMap.storageAddress` for a map's).
    static func address(of items: [Value]) -> UInt {
        items.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    }

    private func slot(_ address: UInt) -> Int {
        // Storage is 16-byte aligned: drop the low bits, then spread the rest.
        let h = (address >> 4) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: h >> 40) & (slots.count - 1)
    }

    /// The slot holding `address`, if it is one of the constants.
    private func find(_ address: UInt) -> Int? {
        guard !slots.isEmpty else { return nil }
        var i = slot(address)
        guard filter & (1 << UInt64(i & 63)) != 0 else { return nil }
        while let e = slots[i] {
            if e.address == address { return i }
            i = (i + 1) & (slots.count - 1)
        }
        return nil
    }

    enum Lookup {
        /// Printed before at this indentation: append these bytes.
        case printed([UInt8])
        /// A constant not yet printed this way: print it and `keep` the bytes.
        case printNow
        /// Not a constant.
        case other
    }

    func lookup(_ address: UInt, indent: Int, firstPadded: Bool) -> Lookup {
        guard let i = find(address), let e = slots[i] else { return .other }
        for p in e.printed where p.indent == indent && p.firstPadded == firstPadded { return .printed(p.bytes) }
        return .printNow
    }

    mutating func keep(_ address: UInt, indent: Int, firstPadded: Bool, bytes: ArraySlice<UInt8>) {
        guard let i = find(address) else { return }
        slots[i]?.printed.append((indent, firstPadded, Array(bytes)))
    }

    /// What the writer does about one collection: nothing more (its bytes came from the cache),
    /// print it, or print it and then `end` keeps what it printed.
    struct Step {
        var needsPrinting = true
        var keep: (address: UInt, indent: Int, firstPadded: Bool, start: Int)? = nil
    }

    /// Appends the kept bytes of the collection stored at `address` (nil: not cached) when there
    /// are some; otherwise says how to print it.
    mutating func begin(_ address: UInt?, indent: Int, firstPadded: Bool, into out: inout [UInt8]) -> Step {
        guard let address else { return Step() }
        switch lookup(address, indent: indent, firstPadded: firstPadded) {
        case .printed(let bytes):
            out.append(contentsOf: bytes)
            return Step(needsPrinting: false)
        case .other:
            return Step()
        case .printNow:
            return Step(keep: (address, indent, firstPadded, out.count))
        }
    }

    /// After printing what `begin` asked for: keeps the bytes printed since, when asked to.
    mutating func end(_ step: Step, out: [UInt8]) {
        guard let k = step.keep else { return }
        keep(k.address, indent: k.indent, firstPadded: k.firstPadded, bytes: out[k.start...])
    }
}

/// A 64-bit fingerprint of an object's content for oscillation detection: map key order does not
/// count, and neither do the fields that change on every write whatever the content
/// (`resourceVersion`, `generation`, `observedGeneration`, condition timestamps), so an object
/// written back to an earlier state gets its earlier fingerprint again.
public enum ObjectFingerprint {
    /// Compared by length first: this runs for every key of every written object.
    static func isVolatileMetadata(_ k: String) -> Bool {
        switch k.utf8.count {
        case 15: return k == "resourceVersion"
        case 10: return k == "generation"
        case 13: return k == "managedFields"
        default: return false
        }
    }
    static func isVolatileAnywhere(_ k: String) -> Bool {
        switch k.utf8.count {
        case 18: return k == "observedGeneration" || k == "lastTransitionTime"
        case 14: return k == "lastUpdateTime"
        case 17: return k == "lastHeartbeatTime"
        default: return false
        }
    }

    public static func of(_ object: KubeObject) -> UInt64 {
        var h = Hasher64()
        h.add(object.key.description)
        walk(object.value, isRoot: true, isMetadata: false, into: &h)
        return h.value
    }

    /// The same fingerprint for any tree (a pod template, for its revision hash).
    public static func of(value: Value) -> UInt64 {
        var h = Hasher64()
        walk(value, isRoot: true, isMetadata: false, into: &h)
        return h.value
    }

    /// `isMetadata`: `v` is the root map's `metadata`, whose volatile keys are skipped. Flags
    /// rather than the parent's key: this runs for every node of every pod template, every round.
    private static func walk(_ v: Value, isRoot: Bool, isMetadata: Bool, into h: inout Hasher64) {
        switch v {
        case .null: h.add(byte: 0)
        case .bool(let b): h.add(byte: b ? 2 : 1)
        case .int(let i):
            h.add(byte: 3)
            h.add(UInt64(bitPattern: i))
        case .double(let d):
            h.add(byte: 4)
            h.add(d.bitPattern)
        case .string(let s):
            h.add(byte: 5)
            h.add(s)
        case .array(let items):
            h.add(byte: 6)
            h.add(UInt64(items.count))
            for item in items { walk(item, isRoot: false, isMetadata: false, into: &h) }
        case .object(let map):
            h.add(byte: 7)
            // Order-insensitive: combine each entry's own hash with a commutative sum.
            var sum: UInt64 = 0
            for (k, child) in map {
                if isVolatileAnywhere(k) { continue }
                if isMetadata && isVolatileMetadata(k) { continue }
                var entry = Hasher64()
                entry.add(k)
                walk(child, isRoot: false, isMetadata: isRoot && k == "metadata", into: &entry)
                sum &+= entry.value
            }
            h.add(sum)
        }
    }
}

/// FNV-1a, 64-bit: deterministic across runs (Swift's `Hasher` is seeded per process).
struct Hasher64 {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func add(byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x0000_0100_0000_01b3
    }
    mutating func add(_ x: UInt64) {
        var v = x
        for _ in 0..<8 {
            add(byte: UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }
    /// Over the contiguous UTF-8 buffer, with the state in a local: the hot loop of every fingerprint.
    mutating func add(_ s: String) {
        var s = s
        var v = value
        s.withUTF8 { bytes in
            for b in bytes {
                v ^= UInt64(b)
                v = v &* 0x0000_0100_0000_01b3
            }
        }
        value = v
        add(byte: 0xFF)
    }
}

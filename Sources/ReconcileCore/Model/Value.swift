/// The one tree every Kubernetes object, YAML document and JSON document is read into.
///
/// Maps keep the order they were read in (so output reads like input), but two maps with the
/// same entries in another order are equal: Kubernetes gives key order no meaning.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([Value])
    case object(OrderedMap)

    /// A short word for error messages: "expected a string, got a list".
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "a map"
        }
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var intValue: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
        default: return nil
        }
    }
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
    public var arrayValue: [Value]? { if case .array(let a) = self { return a }; return nil }
    public var objectValue: OrderedMap? { if case .object(let o) = self { return o }; return nil }
    public var isNull: Bool { if case .null = self { return true }; return false }

    /// Member of a map; nil for anything else or a missing key.
    public subscript(key: String) -> Value? {
        get { objectValue?[key] }
    }

    /// Follows a dotted path of map keys ("spec.groupRef.name").
    public subscript(path path: String) -> Value? {
        // Walks the UTF-8 view without building an array of parts: this runs in hot loops
        // (field indexes over tens of thousands of objects).
        var current = self
        let utf8 = path.utf8
        var start = utf8.startIndex
        var i = start
        while true {
            if i == utf8.endIndex || utf8[i] == UInt8(ascii: ".") {
                guard case .object(let map) = current,
                    let next = map[String(Substring(path.utf8[start..<i]))]
                else { return nil }
                current = next
                if i == utf8.endIndex { return current }
                i = utf8.index(after: i)
                start = i
            } else {
                i = utf8.index(after: i)
            }
        }
    }

    /// Sets a value at a dotted path of map keys, creating maps on the way; a non-map on the way
    /// is replaced by a map.
    public mutating func set(path: [String], to newValue: Value) {
        guard let first = path.first else { self = newValue; return }
        var map = objectValue ?? OrderedMap()
        // Let go of our own reference first, so changing `map` doesn't copy every entry.
        self = .null
        map.update(first) { $0.set(path: Array(path.dropFirst()), to: newValue) }
        self = .object(map)
    }

    /// Removes the value at a dotted path of map keys, if present.
    public mutating func remove(path: [String]) {
        guard let first = path.first, var map = objectValue else { return }
        self = .null  // see `set(path:to:)`
        if path.count == 1 {
            map[first] = nil
        } else if map.contains(first) {
            map.update(first) { $0.remove(path: Array(path.dropFirst())) }
        }
        self = .object(map)
    }

    /// True when every field of `self` is present with an equal value in `other`, recursively for
    /// maps, element by element for lists of equal length. This is how we decide an owned object is
    /// already right: the API server and other actors may add fields (defaults, clusterIP, an
    /// autoscaler's replicas), and those must not be seen as drift.
    public func isSubset(of other: Value) -> Bool {
        switch (self, other) {
        case (.object(let a), .object(let b)):
            for (k, v) in a {
                guard let ov = b[k] else {
                    // An explicit null or an empty map/list we ask for equals an absent one.
                    if v.isEmptyish { continue }
                    return false
                }
                if !v.isSubset(of: ov) { return false }
            }
            return true
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return false }
            for i in a.indices where !a[i].isSubset(of: b[i]) { return false }
            return true
        case (.int, .double), (.double, .int), (.double, .double):
            return doubleValue == other.doubleValue
        default:
            return self == other || (isEmptyish && other.isEmptyish)
        }
    }

    /// Null, an empty map or an empty list: the API server drops these, so they count as absent.
    public var isEmptyish: Bool {
        switch self {
        case .null: return true
        case .array(let a): return a.isEmpty
        case .object(let o): return o.isEmpty
        default: return false
        }
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: Value...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) {
        var map = OrderedMap()
        // Sized up front: builders write most desired objects as literals, and growing each
        // map one doubling at a time was ~8 % of a large `simulate`'s instructions.
        map.reserveCapacity(elements.count)
        for (k, v) in elements { map[k] = v }
        self = .object(map)
    }
    public init(nilLiteral: ()) { self = .null }
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension Value {
    /// Builds a string list value.
    public static func strings(_ items: [String]) -> Value { .array(items.map { .string($0) }) }
    /// Builds a string-to-string map value, keys sorted so output is stable whatever the input order.
    public static func stringMap(_ map: [String: String]) -> Value {
        // A dictionary's keys are unique: the sorted entries become the map's storage as they
        // are, with no lookup per key (every owned object's labels pass through here).
        .object(OrderedMap(uniqueSlots: map.sorted { $0.key < $1.key }.map { OrderedMap.Slot($0.key, .string($0.value)) }))
    }
    /// Reads a string-to-string map (labels, annotations); non-string values are skipped.
    public var stringMapValue: [String: String] {
        var out: [String: String] = [:]
        for (k, v) in objectValue ?? OrderedMap() {
            if let s = v.stringValue { out[k] = s }
        }
        return out
    }
}

/// An insertion-ordered string-keyed map with value semantics.
///
/// Small maps (almost every map in a manifest) are searched linearly, which beats hashing; a
/// dictionary index is kept only for large ones. Keys and values sit side by side in one array:
/// one allocation per map, and a large snapshot holds millions of maps.
public struct OrderedMap: Sendable, Sequence {
    /// What iterating a map yields, so `for (key, value) in map` reads naturally.
    public typealias Entry = (key: String, value: Value)

    /// One stored entry. A struct, not the `Entry` tuple: the runtime destroys an array of tuples
    /// element by element through generic tuple metadata, and freeing the trees of a 10,000-server
    /// plan spent about a fifth of `simulate`'s instructions there.
    struct Slot: Sendable {
        var key: String
        var value: Value
        init(_ key: String, _ value: Value) {
            self.key = key
            self.value = value
        }
    }

    private var entries: [Slot] = []
    private var index: [String: Int]? = nil
    private static let indexThreshold = 12

    public init() {}
    public init(_ pairs: [(String, Value)]) {
        entries.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    /// From entries whose keys the caller already knows to be unique (the YAML reader checks
    /// duplicates itself): no per-key lookups while building large trees.
    init(uniqueSlots: [Slot]) {
        entries = uniqueSlots
        rebuildIndex()
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    /// The keys in order (a new array: iterate the map itself in hot loops).
    public var keys: [String] { entries.map(\.key) }
    /// The values in order (a new array: iterate the map itself in hot loops).
    public var values: [Value] { entries.map(\.value) }

    /// Where the entries are stored: the same for copies of this map until one of them changes
    /// (see `YAMLRenderCache`).
    var storageAddress: UInt { entries.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } }

    /// Room for `n` entries in all, so a known number of additions doesn't double the storage.
    public mutating func reserveCapacity(_ n: Int) {
        entries.reserveCapacity(n)
    }

    public func position(of key: String) -> Int? {
        if let index { return index[key] }
        // Comparing lengths first skips most unequal keys without a full string comparison.
        let length = key.utf8.count
        for i in entries.indices where entries[i].key.utf8.count == length && entries[i].key == key { return i }
        return nil
    }

    public func contains(_ key: String) -> Bool { position(of: key) != nil }

    public subscript(key: String) -> Value? {
        get { position(of: key).map { entries[$0].value } }
        set {
            if let i = position(of: key) {
                if let newValue {
                    entries[i].value = newValue
                } else {
                    entries.remove(at: i)
                    rebuildIndex()
                }
            } else if let newValue {
                entries.append(Slot(key, newValue))
                if index != nil {
                    index?[key] = entries.count - 1
                } else if entries.count > Self.indexThreshold {
                    rebuildIndex()
                }
            }
        }
    }

    /// Changes the value under `key` in place (a missing key starts as null and is added at the
    /// end). Taking the value out before `body` runs keeps its storage uniquely referenced: a
    /// `var v = map[key]; change v; map[key] = v` round trip copies every entry of `v` instead.
    public mutating func update(_ key: String, _ body: (inout Value) -> Void) {
        guard let i = position(of: key) else {
            var fresh = Value.null
            body(&fresh)
            self[key] = fresh
            return
        }
        var value = entries[i].value
        entries[i].value = .null
        body(&value)
        entries[i].value = value
    }

    /// Inserts or replaces; returns false when the key was already present (for duplicate-key checks).
    @discardableResult
    public mutating func insertNew(_ key: String, _ value: Value) -> Bool {
        if contains(key) { return false }
        self[key] = value
        return true
    }

    private mutating func rebuildIndex() {
        if entries.count > Self.indexThreshold {
            var idx = [String: Int](minimumCapacity: entries.count)
            for (i, e) in entries.enumerated() { idx[e.key] = i }
            index = idx
        } else {
            index = nil
        }
    }

    /// A copy with keys in byte order: for stable JSON output and hashing.
    public func sortedByKey() -> OrderedMap {
        OrderedMap(uniqueSlots: entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) })
    }

    /// A concrete iterator (not `AnyIterator`): maps are walked in every hot loop (writers,
    /// diffs, subset checks), and a type-erased iterator costs an allocation per walk.
    public struct Iterator: IteratorProtocol {
        private let entries: [Slot]
        private var i = 0
        init(entries: [Slot]) { self.entries = entries }
        public mutating func next() -> Entry? {
            guard i < entries.count else { return nil }
            defer { i += 1 }
            return (entries[i].key, entries[i].value)
        }
    }

    public func makeIterator() -> Iterator { Iterator(entries: entries) }
}

extension OrderedMap: Hashable {
    /// Order-insensitive: same keys with equal values.
    public static func == (lhs: OrderedMap, rhs: OrderedMap) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (k, v) in lhs {
            guard let other = rhs[k], other == v else { return false }
        }
        return true
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
    }
}

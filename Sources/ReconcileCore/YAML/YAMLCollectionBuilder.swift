/// Building mappings and sequences while parsing: duplicate-key detection, merge keys (`<<`),
/// and allocation-light construction.
///
/// Entries are pushed on scratch stacks shared by the whole parse (a nested collection is always
/// finished before its parent's next entry) and copied once, at exact size, when the collection
/// ends: growing one array per collection entry by entry was the reader's main cost.
struct MapState {
    let base: Int
    /// Keys seen so far, once the mapping is too big for a linear duplicate scan.
    var seen: Set<String>? = nil
    var merged: [OrderedMap] = []
}

extension YAMLParser {
    static let linearDuplicateScanLimit = 16

    func beginMap() -> MapState { MapState(base: entryStack.count) }

    mutating func addEntry(_ st: inout MapState, key: Value, value: Value, at p: Mark) throws(SyntaxError) {
        guard let k = Self.keyString(key) else { throw Self.keyTooLarge(at: position(of: p)) }
        if var seen = st.seen {
            st.seen = nil
            let inserted = seen.insert(k).inserted
            st.seen = seen
            if !inserted { throw SyntaxError("duplicate key \"\(k)\"", at: position(of: p)) }
        } else {
            var j = st.base
            while j < entryStack.count {
                if entryStack[j].key == k { throw SyntaxError("duplicate key \"\(k)\"", at: position(of: p)) }
                j += 1
            }
            if entryStack.count - st.base >= Self.linearDuplicateScanLimit {
                var seen = Set(entryStack[st.base...].map(\.key))
                seen.insert(k)
                st.seen = seen
            }
        }
        entryStack.append(OrderedMap.Slot(k, value))
    }

    /// `<<: map` or `<<: [map, ...]`: keys written in the mapping itself win over merged ones,
    /// and earlier merged maps win over later ones.
    mutating func addMerge(_ st: inout MapState, _ value: Value, at p: Mark) throws(SyntaxError) {
        switch value {
        case .object(let m): st.merged.append(m)
        case .array(let items):
            for item in items {
                guard case .object(let m) = item else {
                    throw SyntaxError("a merge key '<<' takes a map or a list of maps", at: position(of: p))
                }
                st.merged.append(m)
            }
        default:
            throw SyntaxError("a merge key '<<' takes a map or a list of maps", at: position(of: p))
        }
    }

    mutating func finishMap(_ st: MapState) -> OrderedMap {
        var map = OrderedMap(uniqueSlots: Self.exactCopy(entryStack[st.base...]))
        entryStack.removeSubrange(st.base...)
        for m in st.merged {
            for (k, v) in m where !map.contains(k) { map[k] = v }
        }
        return map
    }

    func beginSequence() -> Int { itemStack.count }

    mutating func finishSequence(_ base: Int) -> [Value] {
        let items = Self.exactCopy(itemStack[base...])
        itemStack.removeSubrange(base...)
        return items
    }

    /// A fresh array of exactly these elements. `Array(slice)` of a slice spanning the whole
    /// stack adopts the stack's buffer: the document's root collection then kept the stack's
    /// spare capacity, and the stack was reallocated for every document.
    static func exactCopy<T>(_ slice: ArraySlice<T>) -> [T] {
        var out: [T] = []
        out.reserveCapacity(slice.count)
        out.append(contentsOf: slice)
        return out
    }

    /// A collection used as a key becomes its JSON text; a key nested in such a key is escaped
    /// again at each level, so text size can double per level: capped to keep that linear.
    static let maxComplexKeyLength = 65_536

    static func keyTooLarge(at p: SourcePosition) -> SyntaxError {
        SyntaxError("a mapping key that is a collection is too large (over \(maxComplexKeyLength) characters as JSON)", at: p)
    }

    /// The string form of a mapping key: strings as they are, other scalars as their canonical
    /// text, collections as compact JSON (documented in docs/yaml.md); nil when that is too long.
    static func keyString(_ key: Value) -> String? {
        switch key {
        case .string(let s): return s
        case .null: return "null"
        case .bool(let v): return v ? "true" : "false"
        case .int(let v): return String(v)
        case .double(let d):
            if d.isNaN { return ".nan" }
            if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
            return JSONWriter.formatDouble(d)
        case .array, .object:
            let text = JSONWriter.write(key, pretty: false)
            return text.utf8.count <= maxComplexKeyLength ? text : nil
        }
    }
}

/// Server-side apply's bookkeeping, reduced to what one cluster with a few writers needs: which
/// field paths each field manager set in its last apply, so that a field a manager stops sending is
/// removed while fields other writers set (an autoscaler's replicas, kubectl's annotations, the
/// Service controller's clusterIP) stay.
///
/// Granularity: map keys are fields; a list or scalar is one atomic field (real SSA also merges
/// some lists by key, e.g. containers by name; no reconciler here relies on that). Ownership is
/// kept as each manager's last applied tree rather than as path sets, and that tree is kept packed
/// (`StoredObject`): the ClusterModel stores objects packed, so an unpacked applied tree would
/// no longer share storage with anything, and at 10,000 servers those trees were most of
/// converge's memory. It is decoded only when the same object is applied again.
public struct FieldOwnership: Sendable {
    /// Each manager with the map it last applied (status and server-managed metadata excluded),
    /// sorted by manager: nearly every object has one manager, and a one-entry list costs a
    /// third of a one-entry dictionary.
    private var lastApplied: [(manager: String, applied: StoredObject)] = []

    public init() {}

    public var managers: [String] { lastApplied.map(\.manager) }

    /// What `manager` applied last.
    public func applied(by manager: String) -> Value? {
        lastApplied.first { $0.manager == manager }.map { .object($0.applied.object.root) }
    }

    /// Applies `desired` for `manager` onto `current` (SSA with force): fields the manager owned
    /// before and no longer sends are removed unless another manager also set them; every field
    /// it sends overwrites; other managers lose the fields it set to a different value.
    public mutating func apply(_ desired: OrderedMap, by manager: String, onto current: Value) -> Value {
        let desiredValue = Value.object(desired)
        if lastApplied.isEmpty, case .object(let m) = current, m.isEmpty {
            // A create: nothing to remove, nobody else to take fields from.
            remember(desired, for: manager)
            return desiredValue
        }
        // Every other manager's tree, decoded once for this apply, and only when there is more
        // than one manager on record: with one, it is either this manager (no others) or another
        // one that this manager's first apply takes nothing from and removes nothing for.
        let others = lastApplied.count > 1
            ? lastApplied.filter { $0.manager != manager }.map { (manager: $0.manager, tree: Value.object($0.applied.object.root)) } : []
        var result = current
        let previous = applied(by: manager)
        if let previous, previous != desiredValue {
            let sent = Set(FieldPaths.leaves(of: desiredValue))
            for path in FieldPaths.leaves(of: previous) where !sent.contains(path) {
                let sharedWithOther = others.contains { FieldPaths.value(at: path, in: $0.tree) != nil }
                if !sharedWithOther { FieldPaths.remove(path, from: &result) }
            }
        }
        FieldPaths.merge(desiredValue, into: &result)
        // Force: others keep a field only if they set it to the very value just applied. Only
        // with more than one manager on record: a second manager's first apply onto an object
        // one manager wrote (a world rule's onto the operator's) takes nothing from it.
        for (other, original) in others where lastApplied.count > 1 {
            var tree = original
            var changed = false
            for path in FieldPaths.leaves(of: desiredValue) {
                if let theirs = FieldPaths.value(at: path, in: tree), theirs != FieldPaths.value(at: path, in: desiredValue) {
                    FieldPaths.remove(path, from: &tree)
                    changed = true
                }
                // A manager that owned a whole subtree (a list, a scalar) where the new apply sets a
                // map below it, or the other way round, loses it as well.
                for prefix in FieldPaths.prefixes(of: path) where FieldPaths.isLeaf(at: prefix, in: tree) {
                    FieldPaths.remove(prefix, from: &tree)
                    changed = true
                }
            }
            if changed { remember(tree.objectValue ?? OrderedMap(), for: other) }
        }
        // Packing again what is already kept would only cost time.
        if previous != desiredValue { remember(desired, for: manager) }
        return result
    }

    private mutating func remember(_ applied: OrderedMap, for manager: String) {
        let stored = StoredObject(KubeObject(root: applied), packed: true)
        if let i = lastApplied.firstIndex(where: { $0.manager == manager }) {
            lastApplied[i].applied = stored
        } else {
            lastApplied.append((manager, stored))
            lastApplied.sort { $0.manager < $1.manager }
        }
    }
}

/// Field paths in `Value` trees: a path is the list of map keys from the root to a leaf.
public enum FieldPaths {
    /// Paths of every leaf: a scalar, a list or an empty map (lists are atomic).
    public static func leaves(of value: Value) -> [[String]] {
        var out: [[String]] = []
        var path: [String] = []
        collect(value, &path, &out)
        return out
    }

    private static func collect(_ value: Value, _ path: inout [String], _ out: inout [[String]]) {
        if case .object(let map) = value, !map.isEmpty {
            for (k, v) in map {
                path.append(k)
                collect(v, &path, &out)
                path.removeLast()
            }
        } else if !path.isEmpty {
            out.append(path)
        }
    }

    public static func value(at path: [String], in tree: Value) -> Value? {
        var current = tree
        for key in path {
            guard let next = current[key] else { return nil }
            current = next
        }
        return current
    }

    /// True when `path` names something in `tree` that is not a non-empty map.
    static func isLeaf(at path: [String], in tree: Value) -> Bool {
        guard let v = value(at: path, in: tree) else { return false }
        if case .object(let m) = v { return m.isEmpty }
        return true
    }

    static func prefixes(of path: [String]) -> [[String]] {
        guard path.count > 1 else { return [] }
        return (1..<path.count).map { Array(path[0..<$0]) }
    }

    /// Removes the field at `path` and then every map on the way that the removal left empty.
    public static func remove(_ path: [String], from tree: inout Value) {
        guard let first = path.first, case .object(var map) = tree else { return }
        if path.count == 1 {
            map[first] = nil
        } else if var child = map[first] {
            remove(Array(path.dropFirst()), from: &child)
            if case .object(let m) = child, m.isEmpty {
                map[first] = nil
            } else {
                map[first] = child
            }
        }
        tree = .object(map)
    }

    /// Deep merge: maps merge key by key (existing keys keep their place), anything else replaces.
    public static func merge(_ patch: Value, into tree: inout Value) {
        guard case .object(let patchMap) = patch, case .object(var map) = tree else {
            tree = patch
            return
        }
        for (k, v) in patchMap {
            if var existing = map[k], case .object = existing, case .object = v {
                merge(v, into: &existing)
                map[k] = existing
            } else {
                map[k] = v
            }
        }
        tree = .object(map)
    }
}

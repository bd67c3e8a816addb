/// Server-side apply's bookkeeping, reduced to what one cluster with a few writers needs: which
/// field paths each field manager set in its last apply, so that a field a manager stops sending is
/// removed while fields other writers set (an autoscaler's replicas, kubectl's annotations, the
/// Service controller's clusterIP) stay.
///
/// Granularity: map keys are fields; a list or scalar is one atomic field (real SSA also merges
/// some lists by key, e.g. containers by name; no reconciler here relies on that). Ownership is
/// kept as each manager's last applied tree, which shares storage with the stored object, rather
/// than as path sets, so tracking costs almost nothing at 20,000 objects.
public struct FieldOwnership: Sendable {
    /// manager → the tree it last applied (status and server-managed metadata excluded).
    public private(set) var lastApplied: [String: Value] = [:]

    public init() {}

    public var managers: [String] { lastApplied.keys.sorted() }

    /// Applies `desired` for `manager` onto `current` (SSA with force): fields the manager owned
    /// before and no longer sends are removed unless another manager also set them; every field
    /// it sends overwrites; other managers lose the fields it set to a different value.
    public mutating func apply(_ desired: Value, by manager: String, onto current: Value) -> Value {
        if lastApplied.isEmpty, case .object(let m) = current, m.isEmpty {
            // A create: nothing to remove, nobody else to take fields from.
            lastApplied[manager] = desired
            return desired
        }
        var result = current
        if let previous = lastApplied[manager], previous != desired {
            let sent = Set(FieldPaths.leaves(of: desired))
            for path in FieldPaths.leaves(of: previous) where !sent.contains(path) {
                let sharedWithOther = lastApplied.contains { other, tree in
                    other != manager && FieldPaths.value(at: path, in: tree) != nil
                }
                if !sharedWithOther { FieldPaths.remove(path, from: &result) }
            }
        }
        FieldPaths.merge(desired, into: &result)
        // Force: others keep a field only if they set it to the very value just applied.
        for other in lastApplied.keys.sorted() where other != manager && lastApplied.count > 1 {
            guard var tree = lastApplied[other] else { continue }
            var changed = false
            for path in FieldPaths.leaves(of: desired) {
                if let theirs = FieldPaths.value(at: path, in: tree), theirs != FieldPaths.value(at: path, in: desired) {
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
            if changed { lastApplied[other] = tree }
        }
        lastApplied[manager] = desired
        return result
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

import ReconcileCore

/// RFC 7386 JSON merge patch: maps merge recursively, `null` deletes, anything else replaces.
/// The sandbox applies patches with it; the plan applier computes them with `diff`.
public enum JSONMergePatch {
    public static func apply(_ patch: Value, to target: Value) -> Value {
        guard case .object(let p) = patch else { return patch }
        var result = target.objectValue ?? OrderedMap()
        for (k, v) in p {
            if v.isNull {
                result[k] = nil
            } else {
                result[k] = apply(v, to: result[k] ?? .null)
            }
        }
        return .object(result)
    }

    /// The smallest merge patch turning `from` into `to`: removed keys become `null`, lists and
    /// scalars are replaced whole. `apply(diff(a, b), to: a) == b` for maps without null values.
    public static func diff(from: Value, to: Value) -> Value {
        guard case .object(let a) = from, case .object(let b) = to else { return to }
        var patch = OrderedMap()
        for (k, old) in a where b[k] == nil { _ = old; patch[k] = .null }
        for (k, new) in b {
            guard let old = a[k] else { patch[k] = new; continue }
            if old == new { continue }
            if case .object = old, case .object = new {
                patch[k] = diff(from: old, to: new)
            } else {
                patch[k] = new
            }
        }
        return .object(patch)
    }
}

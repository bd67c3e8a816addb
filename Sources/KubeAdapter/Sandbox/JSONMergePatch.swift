import ReconcileCore

/// RFC 7386 JSON merge patch: maps merge recursively, `null` deletes, anything else replaces.
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
}

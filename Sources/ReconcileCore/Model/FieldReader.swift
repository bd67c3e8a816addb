/// A decoding problem with the field path it happened at: `spec.groupRef.name: expected a string, got a list`.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Reads typed fields out of a `Value` while tracking the path, so every error names its field.
/// Typed resource models are decoded with it; the tree they came from is kept untouched.
public struct FieldReader: Sendable {
    public let value: Value
    public let path: String

    public init(_ value: Value, path: String) {
        self.value = value
        self.path = path
    }

    public func child(_ key: String) -> FieldReader {
        FieldReader(value[key] ?? .null, path: path.isEmpty ? key : "\(path).\(key)")
    }
    public func element(_ i: Int, of items: [Value]) -> FieldReader {
        FieldReader(items[i], path: "\(path)[\(i)]")
    }
    public var isPresent: Bool { !value.isNull }

    func error(_ message: String) -> FieldError { FieldError(path: path, message: message) }
    func typeError(_ expected: String) -> FieldError { error("expected \(expected), got \(value.typeName)") }

    // The leaf readers build the child's path only for an error: they run for every field of
    // every decoded object.
    public func optionalString(_ key: String) throws(FieldError) -> String? {
        switch value[key] ?? .null {
        case .null: return nil
        case .string(let s): return s
        default: throw child(key).typeError("a string")
        }
    }
    public func string(_ key: String) throws(FieldError) -> String {
        guard let s = try optionalString(key) else { throw child(key).error("required field is missing") }
        return s
    }
    public func optionalBool(_ key: String) throws(FieldError) -> Bool? {
        switch value[key] ?? .null {
        case .null: return nil
        case .bool(let b): return b
        default: throw child(key).typeError("a boolean")
        }
    }
    public func optionalInt(_ key: String) throws(FieldError) -> Int64? {
        switch value[key] ?? .null {
        case .null: return nil
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
        default: throw child(key).typeError("an integer")
        }
    }
    public func optionalInt(_ key: String, in range: ClosedRange<Int64>) throws(FieldError) -> Int64? {
        guard let v = try optionalInt(key) else { return nil }
        guard range.contains(v) else { throw child(key).error("must be between \(range.lowerBound) and \(range.upperBound), got \(v)") }
        return v
    }
    public func optionalMap(_ key: String) throws(FieldError) -> FieldReader? {
        let c = child(key)
        switch c.value {
        case .null: return nil
        case .object: return c
        default: throw c.typeError("a map")
        }
    }
    public func optionalList(_ key: String) throws(FieldError) -> [FieldReader]? {
        let c = child(key)
        switch c.value {
        case .null: return nil
        case .array(let items): return items.indices.map { c.element($0, of: items) }
        default: throw c.typeError("a list")
        }
    }
    public func stringList(_ key: String) throws(FieldError) -> [String] {
        switch value[key] ?? .null {
        case .null: return []
        case .array(let items):
            var out: [String] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                guard let s = item.stringValue else { throw child(key).element(i, of: items).typeError("a string") }
                out.append(s)
            }
            return out
        default: throw child(key).typeError("a list")
        }
    }
    public func stringMap(_ key: String) throws(FieldError) -> [String: String] {
        guard let m = try optionalMap(key), let obj = m.value.objectValue else { return [:] }
        var out: [String: String] = [:]
        for (k, v) in obj {
            guard let s = v.stringValue else { throw m.child(k).typeError("a string") }
            out[k] = s
        }
        return out
    }
    /// An enum-valued string with its allowed values; the default applies when absent.
    public func enumString(_ key: String, allowed: [String], default def: String? = nil) throws(FieldError) -> String? {
        guard let s = try optionalString(key) else { return def }
        guard allowed.contains(s) else {
            throw child(key).error("unsupported value \"\(s)\": must be one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        return s
    }
}

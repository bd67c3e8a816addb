/// Checks a value against a `SchemaNode` the way the API server does at admission, collecting
/// every problem (not just the first) with its field path and a kubectl-style message, and
/// applies schema defaults on request.
///
/// Differences from the API server, on purpose: unknown fields are warnings (the server silently
/// drops them, `kubectl --validate=strict` rejects them), and nulls count as absent (the server
/// prunes them before validating).
public enum SchemaValidator {
    /// Validates `value` (found at `path`, e.g. `["spec"]`) and appends what it finds to `problems`.
    public static func validate(
        _ value: Value, against schema: SchemaNode, at path: [String], object: ObjectKey, into problems: inout [ValidationProblem]
    ) {
        var walker = Walker(object: object)
        walker.path = path.map(PathComponent.key)
        walker.visit(value, schema)
        problems.append(contentsOf: walker.problems)
    }

    /// `value` with every missing field that has a schema default filled in, recursively, the way
    /// the API server defaults a request (only inside objects that are present).
    public static func applyingDefaults(_ value: Value, _ schema: SchemaNode) -> Value {
        switch value {
        case .object(var map) where schema.kind == .object:
            for name in schema.properties.keys.sorted() {
                guard let child = schema.properties[name] else { continue }
                if let current = map[name], !current.isNull {
                    map[name] = applyingDefaults(current, child)
                } else if let def = child.defaultValue {
                    map[name] = applyingDefaults(def, child)
                }
            }
            if let additional = schema.additionalProperties {
                for (key, item) in map where schema.properties[key] == nil {
                    map[key] = applyingDefaults(item, additional)
                }
            }
            return .object(map)
        case .array(let items) where schema.kind == .array:
            guard let itemSchema = schema.items else { return value }
            return .array(items.map { applyingDefaults($0, itemSchema) })
        default:
            return value
        }
    }

    /// A field path built as the walk descends; rendered to a string only when a problem is found.
    enum PathComponent {
        case key(String)
        case index(Int)
    }

    static func render(_ path: [PathComponent]) -> String {
        var out = ""
        for part in path {
            switch part {
            case .key(let k): out += out.isEmpty ? k : ".\(k)"
            case .index(let i): out += "[\(i)]"
            }
        }
        return out
    }

    /// How the API server names a value's type in messages.
    static func typeName(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// A value as it appears in `Invalid value: ...`: strings and numbers verbatim, anything
    /// bigger by its type.
    static func shown(_ value: Value) -> String {
        switch value {
        case .string, .int, .double, .bool: return JSONWriter.write(value, pretty: false)
        default: return "\"\(typeName(value))\""
        }
    }

    static let dateTime = SchemaPattern(#"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"#)

    private struct Walker {
        let object: ObjectKey
        var problems: [ValidationProblem] = []
        var path: [PathComponent] = []

        init(object: ObjectKey) { self.object = object }

        mutating func report(_ message: String, _ severity: ValidationProblem.Severity = .error) {
            problems.append(ValidationProblem(object: object, fieldPath: render(path), message: message, severity: severity))
        }

        /// `Invalid value: 0: spec.proxyPort in body should be greater than or equal to 1`
        mutating func invalid(_ value: Value, _ what: String) {
            report("Invalid value: \(shown(value)): \(render(path)) in body \(what)")
        }

        mutating func typeMismatch(_ value: Value, _ expected: String) {
            report("Invalid value: \"\(typeName(value))\": \(render(path)) in body must be of type \(expected): \"\(typeName(value))\"")
        }

        mutating func visit(_ value: Value, _ schema: SchemaNode) {
            if value.isNull { return }
            if let warning = schema.legacyStringWarning, case .string = value {
                report(warning, .warning)
                return
            }
            if schema.isIntOrString {
                if value.intValue == nil && value.stringValue == nil { typeMismatch(value, "integer,string") }
                return
            }
            switch schema.kind {
            case .any:
                return
            case .object:
                guard case .object(let map) = value else { return typeMismatch(value, "object") }
                visitObject(map, schema)
            case .array:
                guard case .array(let items) = value else { return typeMismatch(value, "array") }
                visitArray(items, schema)
            case .string:
                guard case .string(let s) = value else { return typeMismatch(value, "string") }
                visitString(s, value, schema)
            case .integer:
                guard let i = value.intValue else { return typeMismatch(value, "integer") }
                if let min = schema.minimum, i < min { invalid(value, "should be greater than or equal to \(min)") }
                if let max = schema.maximum, i > max { invalid(value, "should be less than or equal to \(max)") }
            case .number:
                guard let d = value.doubleValue else { return typeMismatch(value, "number") }
                if let min = schema.minimum, d < Double(min) { invalid(value, "should be greater than or equal to \(min)") }
                if let max = schema.maximum, d > Double(max) { invalid(value, "should be less than or equal to \(max)") }
            case .boolean:
                guard case .bool = value else { return typeMismatch(value, "boolean") }
            }
            for rule in schema.rules where !rule.check(RuleSubject(value)) {
                report("Invalid value: \"\(typeName(value))\": \(rule.message)")
            }
        }

        mutating func visitObject(_ map: OrderedMap, _ schema: SchemaNode) {
            for name in schema.required where (map[name] ?? .null).isNull {
                // The API server fills a defaulted field before checking `required`.
                if schema.properties[name]?.defaultValue != nil { continue }
                path.append(.key(name))
                report("Required value")
                path.removeLast()
            }
            if let max = schema.maxProperties, map.count > max {
                report("Too many: \(map.count): must have at most \(max) items")
            }
            for (key, child) in map {
                path.append(.key(key))
                if let property = schema.properties[key] {
                    visit(child, property)
                } else if let additional = schema.additionalProperties {
                    visit(child, additional)
                } else if !schema.preservesUnknownFields {
                    report("unknown field (the API server drops it; kubectl --validate=strict rejects it)", .warning)
                }
                path.removeLast()
            }
        }

        mutating func visitArray(_ items: [Value], _ schema: SchemaNode) {
            if let min = schema.minItems, items.count < min { invalid(.int(Int64(items.count)), "should have at least \(min) items") }
            if let max = schema.maxItems, items.count > max { report("Too many: \(items.count): must have at most \(max) items") }
            if let itemSchema = schema.items {
                for (i, item) in items.enumerated() {
                    path.append(.index(i))
                    visit(item, itemSchema)
                    path.removeLast()
                }
            }
            switch schema.listType {
            case .set?:
                var seen = Set<Value>()
                for (i, item) in items.enumerated() where !seen.insert(item).inserted {
                    path.append(.index(i))
                    report("Duplicate value: \(shown(item))")
                    path.removeLast()
                }
            case .map(let keys)?:
                var seen = Set<[Value]>()
                for (i, item) in items.enumerated() {
                    let id = keys.map { item[$0] ?? .null }
                    if !seen.insert(id).inserted {
                        var shownKeys = OrderedMap()
                        for (k, v) in zip(keys, id) { shownKeys[k] = v }
                        path.append(.index(i))
                        report("Duplicate value: \(JSONWriter.write(.object(shownKeys), pretty: false))")
                        path.removeLast()
                    }
                }
            case .atomic?, nil:
                break
            }
        }

        mutating func visitString(_ s: String, _ value: Value, _ schema: SchemaNode) {
            if !schema.enumValues.isEmpty && !schema.enumValues.contains(value) {
                let supported = schema.enumValues.map { shown($0) }.joined(separator: ", ")
                report("Unsupported value: \(shown(value)): supported values: \(supported)")
            }
            if schema.minLength != nil || schema.maxLength != nil {
                let length = s.unicodeScalars.count
                if let min = schema.minLength, length < min { invalid(value, "should be at least \(min) chars long") }
                if let max = schema.maxLength, length > max { report("Too long: may not be longer than \(max)") }
            }
            if let pattern = schema.pattern, !pattern.matches(s) {
                invalid(value, "should match '\(pattern.source)'")
            }
            if schema.format == "date-time" && !SchemaValidator.dateTime.matches(s) {
                invalid(value, "must be of type date-time: \(shown(value))")
            }
        }
    }
}

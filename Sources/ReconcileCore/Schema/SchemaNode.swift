
/// One node of an OpenAPI v3 structural schema, the subset CustomResourceDefinitions use.
///
/// The kinds' schemas are written with the terse builders below (`.object([...])`, `.string.req`,
/// `.int32.range(1...65535).def(8080)`, ...), so one Swift definition both validates objects and
/// prints the CRD manifest. CEL rules are Swift closures that carry the CEL text (for the printed
/// CRD) and the exact message users see.
public struct SchemaNode: Sendable {
    public enum Kind: String, Sendable {
        case object, array, string, integer, number, boolean
        /// No `type`: any value (only with `x-kubernetes-preserve-unknown-fields`).
        case any
    }

    public enum ListType: Sendable, Hashable {
        case atomic, set
        case map(keys: [String])
    }

    /// Everything a node says. Kept behind one immutable reference so that handing a node around
    /// (every step of a validation walk) costs one retain, not one per field.
    public struct Fields: Sendable {
        public var kind: Kind
        public var properties: [String: SchemaNode] = [:]
        public var required: [String] = []
        public var items: SchemaNode?
        public var additionalProperties: SchemaNode?
        public var enumValues: [Value] = []
        public var defaultValue: Value?
        public var pattern: SchemaPattern?
        public var minimum: Int64?
        public var maximum: Int64?
        public var minLength: Int?
        public var maxLength: Int?
        public var minItems: Int?
        public var maxItems: Int?
        public var maxProperties: Int?
        public var format: String?
        public var preservesUnknownFields = false
        public var isIntOrString = false
        public var listType: ListType?
        public var isAtomicMap = false
        public var rules: [SchemaRule] = []
        /// Set by `.req`; the enclosing `.object(...)` turns it into its `required` list.
        public var isRequired = false
        /// Accepts a bare string where the schema wants `{name: ...}` (the old `groupRef` form),
        /// with a deprecation warning instead of a type error.
        public var legacyStringWarning: String?
    }

    private final class Box: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private let box: Box

    public init(kind: Kind) { box = Box(Fields(kind: kind)) }
    init(_ fields: Fields) { box = Box(fields) }

    public var fields: Fields { box.fields }
    public var kind: Kind { box.fields.kind }
    public var properties: [String: SchemaNode] { box.fields.properties }
    public var required: [String] { box.fields.required }
    public var items: SchemaNode? { box.fields.items }
    public var additionalProperties: SchemaNode? { box.fields.additionalProperties }
    public var enumValues: [Value] { box.fields.enumValues }
    public var defaultValue: Value? { box.fields.defaultValue }
    public var pattern: SchemaPattern? { box.fields.pattern }
    public var minimum: Int64? { box.fields.minimum }
    public var maximum: Int64? { box.fields.maximum }
    public var minLength: Int? { box.fields.minLength }
    public var maxLength: Int? { box.fields.maxLength }
    public var minItems: Int? { box.fields.minItems }
    public var maxItems: Int? { box.fields.maxItems }
    public var maxProperties: Int? { box.fields.maxProperties }
    public var format: String? { box.fields.format }
    public var preservesUnknownFields: Bool { box.fields.preservesUnknownFields }
    public var isIntOrString: Bool { box.fields.isIntOrString }
    public var listType: ListType? { box.fields.listType }
    public var isAtomicMap: Bool { box.fields.isAtomicMap }
    public var rules: [SchemaRule] { box.fields.rules }
    public var isRequired: Bool { box.fields.isRequired }
    public var legacyStringWarning: String? { box.fields.legacyStringWarning }
}

/// A compiled `pattern`, matched like Go's `regexp.MatchString` (unanchored search, RE2 syntax
/// and semantics), which is what the API server does.
public struct SchemaPattern: Sendable {
    public let source: String
    let regex: PatternRegex?
    /// Why the pattern does not compile; nil when it does.
    let error: PatternRegexError?

    init(_ source: String) {
        self.source = source
        do {
            regex = try PatternRegex(source)
            error = nil
        } catch {
            regex = nil
            self.error = error
        }
    }

    /// True when the pattern compiled; a test checks every pattern of every kind.
    public var isValid: Bool { regex != nil }

    public func matches(_ s: String) -> Bool {
        guard let regex else { return true }
        return regex.matches(s)
    }
}

/// A CEL-style rule (`x-kubernetes-validations`): the CEL text printed into the CRD, the message
/// the API server returns when it fails, and the Swift check that decides it.
public struct SchemaRule: Sendable {
    public let cel: String
    public let message: String
    public let check: @Sendable (RuleSubject) -> Bool
}

/// What a rule's check sees: the value at the rule's node (`self` in CEL), with the few CEL
/// operations the ToolHive rules use. Wrong types read as absent, so a type error already
/// reported by the schema does not also fire a rule.
public struct RuleSubject: Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }

    /// Follows a dotted path; nulls count as absent (the API server prunes them).
    public subscript(_ path: String) -> Value? {
        // Splits on the UTF-8 view: Character-based searching is several times slower, and rules
        // run on every validated object.
        var current = value
        var rest = Substring(path).utf8
        while !rest.isEmpty {
            let end = rest.firstIndex(of: UInt8(ascii: ".")) ?? rest.endIndex
            guard let next = current[String(Substring(rest[..<end]))], !next.isNull else { return nil }
            current = next
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
        }
        return current
    }
    /// CEL `has(self.a.b)`.
    public func has(_ path: String) -> Bool { self[path] != nil }
    public func string(_ path: String) -> String? { self[path]?.stringValue }
    /// A boolean field that is present and true.
    public func isTrue(_ path: String) -> Bool { self[path]?.boolValue == true }
    /// CEL `size()`: characters of a string, entries of a list or map, 0 when absent.
    public func size(_ path: String) -> Int {
        switch self[path] {
        case .string(let s)?: return s.count
        case .array(let a)?: return a.count
        case .object(let o)?: return o.count
        default: return 0
        }
    }
    /// A present, non-empty string (CEL `has(self.x) && size(self.x) > 0`).
    public func nonEmpty(_ path: String) -> Bool { !(string(path) ?? "").isEmpty }
    public func list(_ path: String) -> [RuleSubject] { (self[path]?.arrayValue ?? []).map(RuleSubject.init) }
    public func strings(_ path: String) -> [String] { (self[path]?.arrayValue ?? []).compactMap(\.stringValue) }
    public func keys(_ path: String) -> [String] { self[path]?.objectValue?.keys ?? [] }
}

// MARK: - Builders (the DSL the kinds' schemas are written in)

extension SchemaNode {
    public static let string = SchemaNode(kind: .string)
    public static let boolean = SchemaNode(kind: .boolean)
    public static let number = SchemaNode(kind: .number)
    /// An integer without a format (Go `int`).
    public static let integer = SchemaNode(kind: .integer)
    public static let int32 = SchemaNode(kind: .integer).format("int32")
    public static let int64 = SchemaNode(kind: .integer).format("int64")
    public static let dateTime = SchemaNode(kind: .string).format("date-time")
    /// Any value at all, kept as written (`x-kubernetes-preserve-unknown-fields` without a type).
    public static var any: SchemaNode { SchemaNode(kind: .any).preserveUnknown }
    /// A free-form object (`podTemplateSpec`, JSON-schema `parameters`, ...).
    public static var freeform: SchemaNode { object([:]).preserveUnknown }
    /// `x-kubernetes-int-or-string` (resource quantities, ports by name).
    public static var intOrString: SchemaNode { SchemaNode(kind: .any).with { $0.isIntOrString = true } }

    /// An object with known properties; children marked `.req` become `required`.
    public static func object(_ properties: KeyValuePairs<String, SchemaNode>) -> SchemaNode {
        var n = Fields(kind: .object)
        for (name, child) in properties {
            if child.isRequired {
                n.required.append(name)
                n.properties[name] = child.with { $0.isRequired = false }
            } else {
                n.properties[name] = child
            }
        }
        n.required.sort()
        return SchemaNode(n)
    }
    /// A list of `item`.
    public static func list(_ item: SchemaNode) -> SchemaNode {
        var n = Fields(kind: .array)
        n.items = item
        return SchemaNode(n)
    }
    /// A map with arbitrary keys and values of one schema (`additionalProperties`).
    public static func map(_ value: SchemaNode) -> SchemaNode {
        var n = Fields(kind: .object)
        n.additionalProperties = value
        return SchemaNode(n)
    }

    /// Required in the enclosing object.
    public var req: SchemaNode { with { $0.isRequired = true } }
    public func enumOf(_ values: String...) -> SchemaNode { with { $0.enumValues = values.map(Value.string) } }
    public func def(_ value: Value) -> SchemaNode { with { $0.defaultValue = value } }
    public func pattern(_ source: String) -> SchemaNode { with { $0.pattern = SchemaPattern(source) } }
    public func min(_ n: Int64) -> SchemaNode { with { $0.minimum = n } }
    public func max(_ n: Int64) -> SchemaNode { with { $0.maximum = n } }
    public func range(_ r: ClosedRange<Int64>) -> SchemaNode { with { $0.minimum = r.lowerBound; $0.maximum = r.upperBound } }
    public func minLen(_ n: Int) -> SchemaNode { with { $0.minLength = n } }
    public func maxLen(_ n: Int) -> SchemaNode { with { $0.maxLength = n } }
    public func minItems(_ n: Int) -> SchemaNode { with { $0.minItems = n } }
    public func maxItems(_ n: Int) -> SchemaNode { with { $0.maxItems = n } }
    public func maxProps(_ n: Int) -> SchemaNode { with { $0.maxProperties = n } }
    public func format(_ f: String) -> SchemaNode { with { $0.format = f } }
    public var preserveUnknown: SchemaNode { with { $0.preservesUnknownFields = true } }
    /// `x-kubernetes-list-type: atomic` on a list, `x-kubernetes-map-type: atomic` on an object.
    public var atomic: SchemaNode {
        with { if $0.kind == .array { $0.listType = .atomic } else { $0.isAtomicMap = true } }
    }
    /// `x-kubernetes-list-type: set`: items must be unique.
    public var set: SchemaNode { with { $0.listType = .set } }
    /// `x-kubernetes-list-type: map`: items are objects unique by these keys.
    public func listMap(_ keys: String...) -> SchemaNode { with { $0.listType = .map(keys: keys) } }
    /// An `x-kubernetes-validations` rule; `check` returns true when the value is acceptable.
    public func rule(_ cel: String, _ message: String, _ check: @escaping @Sendable (RuleSubject) -> Bool) -> SchemaNode {
        with { $0.rules.append(SchemaRule(cel: cel, message: message, check: check)) }
    }
    /// See `legacyStringWarning`.
    public func acceptingLegacyString(warning: String) -> SchemaNode { with { $0.legacyStringWarning = warning } }

    private func with(_ change: (inout Fields) -> Void) -> SchemaNode {
        var copy = box.fields
        change(&copy)
        return SchemaNode(copy)
    }
}

// MARK: - Walking

extension SchemaNode {
    /// Every node with its path (`spec.env[].name`, `spec.labels{}`), parents first: what the CRD
    /// comparison test and the pattern check walk.
    public func walk(path: String = "", _ visit: (String, SchemaNode) -> Void) {
        visit(path, self)
        for name in properties.keys.sorted() {
            properties[name]?.walk(path: path.isEmpty ? name : "\(path).\(name)", visit)
        }
        items?.walk(path: "\(path)[]", visit)
        additionalProperties?.walk(path: "\(path){}", visit)
    }
}

/// One thing wrong (or worth a warning) with one object, at one field.
public struct ValidationProblem: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        /// The API server would reject the object.
        case error
        /// Accepted, but probably not what was meant: deprecated forms, unknown fields, references
        /// to objects the snapshot does not hold.
        case warning
    }

    public var object: ObjectKey
    public var fieldPath: String
    public var message: String
    public var severity: Severity

    public init(object: ObjectKey, fieldPath: String, message: String, severity: Severity) {
        self.object = object
        self.fieldPath = fieldPath
        self.message = message
        self.severity = severity
    }

    /// By field path, errors before warnings, then message.
    public static func < (a: ValidationProblem, b: ValidationProblem) -> Bool {
        if a.fieldPath != b.fieldPath { return a.fieldPath < b.fieldPath }
        if a.severity != b.severity { return a.severity == .error }
        return a.message < b.message
    }

    /// `KIND/NAMESPACE/NAME: FIELD_PATH: MESSAGE`, the tail of a `validate` line.
    public var description: String { "\(object): \(fieldPath): \(message)" }

    /// Where to point in the input: the field's own position if the reader recorded it, else
    /// its nearest recorded parent (a missing required field points at its parent object), else
    /// `fallback` (the document's start). `prefix` is prepended when the object sat inside a
    /// List (`items[3]`).
    public func position(in fieldPositions: [String: SourcePosition], prefix: String = "", fallback: SourcePosition) -> SourcePosition {
        var path = Substring(fieldPath)
        while !path.isEmpty {
            let key = prefix.isEmpty ? String(path) : "\(prefix).\(path)"
            if let p = fieldPositions[key] { return p }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            path = path[..<cut]
        }
        return fallback
    }
}

/// The `validate` entry point: schema, CEL rules and reference rules for one object.
public enum SchemaValidation {
    private static let envelope: Set<String> = ["apiVersion", "kind", "metadata", "spec", "status"]

    /// All problems of one object (schema + reference rules against the snapshot), sorted by
    /// field path. Objects of kinds without a schema here give no problems.
    public static func validate(_ object: KubeObject, in snapshot: Snapshot) -> [ValidationProblem] {
        guard let kind = SchemaRegistry.schema(for: object.groupKind) else { return [] }
        var problems: [ValidationProblem] = []
        collectSchemaProblems(object, kind, includeStatus: true, into: &problems)
        collectReferenceProblems(object, kind, snapshot, into: &problems)
        return problems.sorted()
    }

    /// Schema and CEL problems only (no snapshot needed): what the API server would say at
    /// admission. Reconcilers pass `includeStatus: false` to check just what users write.
    public static func validateSchema(_ object: KubeObject, includeStatus: Bool = true) -> [ValidationProblem] {
        guard let kind = SchemaRegistry.schema(for: object.groupKind) else { return [] }
        var problems: [ValidationProblem] = []
        collectSchemaProblems(object, kind, includeStatus: includeStatus, into: &problems)
        return problems.sorted()
    }

    /// Warnings for every reference to an object the snapshot does not hold in the same namespace.
    public static func references(of object: KubeObject, in snapshot: Snapshot) -> [ValidationProblem] {
        guard let kind = SchemaRegistry.schema(for: object.groupKind) else { return [] }
        var problems: [ValidationProblem] = []
        collectReferenceProblems(object, kind, snapshot, into: &problems)
        return problems.sorted()
    }

    private static func collectSchemaProblems(_ object: KubeObject, _ kind: KindSchema, includeStatus: Bool, into problems: inout [ValidationProblem]) {
        let key = object.key
        let version = APIVersion.version(of: object.apiVersion)
        if !Kinds.toolhiveServedVersions.contains(version) {
            problems.append(ValidationProblem(
                object: key, fieldPath: "apiVersion",
                message: "no matches for kind \"\(object.kind)\" in version \"\(object.apiVersion)\" (served: \(Kinds.toolhiveServedVersions.joined(separator: ", ")))",
                severity: .error))
        } else if let warning = kind.warning(forVersion: version) {
            problems.append(ValidationProblem(object: key, fieldPath: "apiVersion", message: warning, severity: .warning))
        }
        for field in object.root.keys where !envelope.contains(field) {
            problems.append(ValidationProblem(object: key, fieldPath: field, message: "unknown field (the API server drops it; kubectl --validate=strict rejects it)", severity: .warning))
        }
        if let spec = object.root["spec"] {
            SchemaValidator.validate(spec, against: kind.spec, at: ["spec"], object: key, into: &problems)
        }
        if includeStatus, let status = object.root["status"] {
            SchemaValidator.validate(status, against: kind.status, at: ["status"], object: key, into: &problems)
        }
    }

    private static func collectReferenceProblems(_ object: KubeObject, _ kind: KindSchema, _ snapshot: Snapshot, into problems: inout [ValidationProblem]) {
        let key = object.key
        var found: [(name: String, path: [SchemaValidator.PathComponent])] = []
        for rule in kind.references {
            found.removeAll(keepingCapacity: true)
            rule.collect(in: object, into: &found)
            for (name, path) in found where !snapshot.contains(rule.target, namespace: key.namespace, name: name) {
                problems.append(ValidationProblem(
                    object: key, fieldPath: SchemaValidator.render(path),
                    message: "\(rule.target.kind) \"\(name)\" not found in namespace \"\(key.namespace)\" (the operator will report it in status)",
                    severity: .warning))
            }
        }
    }

    /// The object with its schema defaults applied to `spec` (and `status`), as the API server
    /// would store it. Objects of kinds without a schema come back unchanged.
    public static func defaulted(_ object: KubeObject) -> KubeObject {
        guard let kind = SchemaRegistry.schema(for: object.groupKind) else { return object }
        var out = object
        if let spec = object.root["spec"] { out.root["spec"] = SchemaValidator.applyingDefaults(spec, kind.spec) }
        if let status = object.root["status"] { out.root["status"] = SchemaValidator.applyingDefaults(status, kind.status) }
        return out
    }
}

/// Everything the project knows about one ToolHive kind's API: names, printer columns, the
/// schema shared by `v1alpha1` and `v1beta1`, and the references to other objects it holds.
public struct KindSchema: Sendable {
    public var groupKind: GroupKind
    public var plural: String
    public var singular: String
    public var shortNames: [String]
    public var printerColumns: [PrinterColumn]
    public var spec: SchemaNode
    public var status: SchemaNode
    /// Objects this kind names that must exist in its namespace.
    public var references: [ReferenceRule]
    /// The warning the API server returns for `v1alpha1` (and for `v1beta1` too when
    /// `storageVersionDeprecated`, as for MCPRegistry).
    public var deprecationWarning: String
    public var storageVersionDeprecated: Bool

    public static let defaultDeprecationWarning = "toolhive.stacklok.dev/v1alpha1 is deprecated; use v1beta1"

    public init(
        _ groupKind: GroupKind, plural: String, shortNames: [String], columns: [PrinterColumn],
        spec: SchemaNode, status: SchemaNode, references: [ReferenceRule] = [],
        deprecationWarning: String = KindSchema.defaultDeprecationWarning, storageVersionDeprecated: Bool = false
    ) {
        self.groupKind = groupKind
        self.plural = plural
        singular = groupKind.kind.lowercased()
        self.shortNames = shortNames
        printerColumns = columns
        self.spec = spec
        self.status = status
        self.references = references
        self.deprecationWarning = deprecationWarning
        self.storageVersionDeprecated = storageVersionDeprecated
    }

    /// `openAPIV3Schema`: the object envelope around spec and status.
    public var root: SchemaNode {
        .object(["apiVersion": .string, "kind": .string, "metadata": .object([:]), "spec": spec, "status": status])
    }

    /// The deprecation warning for a served version, nil when that version is current.
    public func warning(forVersion version: String) -> String? {
        if version == "v1alpha1" || storageVersionDeprecated { return deprecationWarning }
        return nil
    }
}

/// One `additionalPrinterColumns` entry (what `kubectl get` shows).
public struct PrinterColumn: Sendable, Hashable {
    public var name: String
    public var type: String
    public var jsonPath: String
    public init(_ name: String, _ type: String, _ jsonPath: String) {
        self.name = name
        self.type = type
        self.jsonPath = jsonPath
    }
    public static let age = PrinterColumn("Age", "date", ".metadata.creationTimestamp")
    /// MCPServer's and MCPRegistry's columns: phase, readiness, ready replicas, URL, age.
    public static let workload = [
        PrinterColumn("Status", "string", ".status.phase"), .condition("Ready", type: "Ready"),
        PrinterColumn("Replicas", "integer", ".status.readyReplicas"), PrinterColumn("URL", "string", ".status.url"), .age,
    ]
    /// The status of one condition type, e.g. `condition("Ready", type: "Ready")`.
    public static func condition(_ name: String, type: String) -> PrinterColumn {
        PrinterColumn(name, "string", ".status.conditions[?(@.type=='\(type)')].status")
    }
}

/// "The string at this path names an object of `target` kind in the same namespace."
///
/// Paths are dotted, with `[]` for every list item and `{}` for every map value
/// (`spec.outgoingAuth.backends{}.externalAuthConfigRef.name`). A path only matches string
/// values, so `spec.groupRef` (the old bare-string form) and `spec.groupRef.name` can both be
/// listed. A missing target is a warning: the API server accepts the object and the operator
/// reports the missing reference in its status, so the input is usable, just not ready.
public struct ReferenceRule: Sendable {
    public var path: String
    public var target: GroupKind
    /// `path` parsed once: each step is a key, optionally followed by "every item" or "every value".
    private let steps: [(key: String, fanOut: FanOut)]
    private enum FanOut { case none, listItems, mapValues }

    public init(_ path: String, _ target: GroupKind) {
        self.path = path
        self.target = target
        steps = path.split(separator: ".").map { part in
            if part.hasSuffix("[]") { return (String(part.dropLast(2)), .listItems) }
            if part.hasSuffix("{}") { return (String(part.dropLast(2)), .mapValues) }
            return (String(part), .none)
        }
    }

    /// Every referenced name in `object`, with its field path as components (rendered only when
    /// a problem is reported).
    func collect(in object: KubeObject, into found: inout [(name: String, path: [SchemaValidator.PathComponent])]) {
        var trail: [SchemaValidator.PathComponent] = []
        visit(object.value, 0, &trail, &found)
    }

    /// Every `(field path, referenced name)` this rule finds in an object.
    public func names(in object: KubeObject) -> [(path: String, name: String)] {
        var found: [(name: String, path: [SchemaValidator.PathComponent])] = []
        collect(in: object, into: &found)
        return found.map { (SchemaValidator.render($0.path), $0.name) }
    }

    private func visit(_ value: Value, _ step: Int, _ trail: inout [SchemaValidator.PathComponent], _ found: inout [(name: String, path: [SchemaValidator.PathComponent])]) {
        guard step < steps.count else {
            if case .string(let s) = value, !s.isEmpty { found.append((s, trail)) }
            return
        }
        let key = steps[step].key
        guard let child = value[key] else { return }
        trail.append(.key(key))
        defer { trail.removeLast() }
        switch steps[step].fanOut {
        case .none:
            visit(child, step + 1, &trail, &found)
        case .listItems:
            guard case .array(let items) = child else { return }
            for i in items.indices {
                trail.append(.index(i))
                visit(items[i], step + 1, &trail, &found)
                trail.removeLast()
            }
        case .mapValues:
            guard case .object(let map) = child else { return }
            for (key, value) in map {
                trail.append(.key(key))
                visit(value, step + 1, &trail, &found)
                trail.removeLast()
            }
        }
    }
}

/// Kind → schema, for the seven kinds this project reconciles. Other ToolHive kinds
/// (MCPRemoteProxy, MCPOIDCConfig, ...) are read but not modelled, so they are not validated.
public enum SchemaRegistry {
    /// Stable order: the order `operatorctl crds` prints them in.
    public static let all: [KindSchema] = [
        MCPServerSchema.kind,
        MCPGroupSchema.kind,
        MCPRegistrySchema.kind,
        VirtualMCPServerSchema.kind,
        MCPExternalAuthConfigSchema.kind,
        MCPToolConfigSchema.kind,
        VirtualMCPCompositeToolDefinitionSchema.kind,
    ]

    public static func schema(for groupKind: GroupKind) -> KindSchema? {
        all.first { $0.groupKind == groupKind }
    }
}

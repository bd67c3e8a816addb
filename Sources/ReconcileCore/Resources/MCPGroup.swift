/// An MCPGroup (v1alpha1 and v1beta1 share one schema). Its spec (`description`) has no
/// behavioural effect; what matters is who references it, which the snapshot's `groupRef` field
/// index answers.
public struct MCPGroup: Sendable, Hashable {
    public static let finalizer = "toolhive.stacklok.dev/mcpgroup-finalizer"
    /// The member kinds, in the order the controller lists them (§3.4 step 3).
    public static let memberKinds = [Kinds.mcpServer, Kinds.mcpRemoteProxy, Kinds.mcpServerEntry]

    public var object: KubeObject
    public var description: String?

    public var name: String { object.name }
    public var namespace: String { object.namespace }
    public var generation: Int64 { object.generation }
    /// The phase the group controller last wrote ("" when never reconciled).
    public var phase: String { object.status["phase"]?.stringValue ?? "" }

    public init(_ object: KubeObject) throws(FieldError) {
        self.object = object
        description = try FieldReader(object.spec, path: "spec").optionalString("description")
    }

    /// The members of one kind: same namespace, exact `groupRef` match, sorted by name in byte order.
    public static func members(of kind: GroupKind, group: String, namespace: String, in snapshot: Snapshot) -> [KubeObject] {
        memberKeys(of: kind, group: group, namespace: namespace, in: snapshot).compactMap { snapshot.get($0) }
    }

    /// The members' keys, in the same order, from the field index alone: reading the objects
    /// decodes each packed one, and the group's status needs only names.
    public static func memberKeys(of kind: GroupKind, group: String, namespace: String, in snapshot: Snapshot) -> [ObjectKey] {
        snapshot.lookup(FieldIndex.groupRef, kind: kind, namespace: namespace, value: group)
            .sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }
}

/// Any Kubernetes object, as the ordered tree it was read as, with typed metadata accessors.
///
/// Unknown fields are never dropped: typed models read from `root`, and writers print `root`.
public struct KubeObject: Sendable, Hashable {
    public var root: OrderedMap

    public init(root: OrderedMap) { self.root = root }

    /// A new object with apiVersion, kind and metadata {name, namespace} in the order kubectl prints them.
    public init(apiVersion: String, kind: String, namespace: String, name: String) {
        // Room for what builders add next (labels, annotations, owners; spec or data, status):
        // growing these maps one doubling at a time showed in large plans.
        var meta = OrderedMap()
        meta.reserveCapacity(5)
        meta["name"] = .string(name)
        if !namespace.isEmpty { meta["namespace"] = .string(namespace) }
        var r = OrderedMap()
        r.reserveCapacity(5)
        r["apiVersion"] = .string(apiVersion)
        r["kind"] = .string(kind)
        r["metadata"] = .object(meta)
        root = r
    }

    public init?(_ value: Value) {
        guard case .object(let m) = value else { return nil }
        root = m
    }

    public var value: Value { .object(root) }

    // MARK: identity

    public var apiVersion: String { root["apiVersion"]?.stringValue ?? "" }
    public var kind: String { root["kind"]?.stringValue ?? "" }
    public var groupKind: GroupKind { GroupKind(group: APIVersion.group(of: apiVersion), kind: kind) }
    public var name: String { metadata["name"]?.stringValue ?? "" }
    public var namespace: String { metadata["namespace"]?.stringValue ?? "" }
    public var key: ObjectKey { ObjectKey(groupKind, namespace: namespace, name: name) }
    public var reference: ObjectReference { ObjectReference(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name) }

    // MARK: sections

    public var metadata: OrderedMap {
        get { root["metadata"]?.objectValue ?? OrderedMap() }
        set { root["metadata"] = .object(newValue) }
    }
    public var spec: Value {
        get { root["spec"] ?? .null }
        // `Optional.none`, not `nil`: Value is nil-literal expressible, and a bare `nil` here would
        // store an explicit `null` instead of removing the field.
        set { root["spec"] = newValue.isNull ? Optional<Value>.none : newValue }
    }
    public var status: Value {
        get { root["status"] ?? .null }
        set { root["status"] = newValue.isNull ? Optional<Value>.none : newValue }
    }
    public subscript(path path: String) -> Value? { value[path: path] }

    // MARK: metadata accessors

    public var labels: [String: String] {
        get { metadata["labels"]?.stringMapValue ?? [:] }
        set { setMeta("labels", newValue.isEmpty ? nil : .stringMap(newValue)) }
    }
    public var annotations: [String: String] {
        get { metadata["annotations"]?.stringMapValue ?? [:] }
        set { setMeta("annotations", newValue.isEmpty ? nil : .stringMap(newValue)) }
    }
    public var finalizers: [String] {
        get { metadata["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        set { setMeta("finalizers", newValue.isEmpty ? nil : .strings(newValue)) }
    }
    public var generation: Int64 {
        get { metadata["generation"]?.intValue ?? 0 }
        set { setMeta("generation", .int(newValue)) }
    }
    public var resourceVersion: String {
        get { metadata["resourceVersion"]?.stringValue ?? "" }
        set { setMeta("resourceVersion", newValue.isEmpty ? nil : .string(newValue)) }
    }
    public var uid: String {
        get { metadata["uid"]?.stringValue ?? "" }
        set { setMeta("uid", newValue.isEmpty ? nil : .string(newValue)) }
    }
    public var creationTimestamp: String? {
        get { metadata["creationTimestamp"]?.stringValue }
        set { setMeta("creationTimestamp", newValue.map { .string($0) }) }
    }
    public var deletionTimestamp: String? {
        get { metadata["deletionTimestamp"]?.stringValue }
        set { setMeta("deletionTimestamp", newValue.map { .string($0) }) }
    }
    public var isBeingDeleted: Bool { deletionTimestamp != nil }

    public var ownerReferences: [OwnerReference] {
        get { (metadata["ownerReferences"]?.arrayValue ?? []).compactMap(OwnerReference.init(value:)) }
        set { setMeta("ownerReferences", newValue.isEmpty ? nil : .array(newValue.map(\.value))) }
    }
    /// The owner with `controller: true`, if any.
    public var controllerOwner: OwnerReference? { ownerReferences.first { $0.controller } }

    /// `status.conditions`, typed.
    public var conditions: [Condition] {
        (status["conditions"]?.arrayValue ?? []).compactMap(Condition.init(value:))
    }
    public func condition(_ type: String) -> Condition? { conditions.first { $0.type == type } }

    public mutating func setMeta(_ key: String, _ value: Value?) {
        // In place: copying `metadata` out and back copied all of its entries on every change.
        root.update("metadata") { meta in
            var m = meta.objectValue ?? OrderedMap()
            meta = .null
            m[key] = value
            meta = .object(m)
        }
    }
}

/// `metadata.ownerReferences[]` entry.
public struct OwnerReference: Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    public var controller: Bool
    public var blockOwnerDeletion: Bool

    public init(apiVersion: String, kind: String, name: String, uid: String, controller: Bool = true, blockOwnerDeletion: Bool = true) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }

    /// The controller reference the operator sets on everything it creates.
    public init(controllerOf owner: KubeObject) {
        self.init(apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.uid)
    }

    public init?(value: Value) {
        guard let kind = value["kind"]?.stringValue, let name = value["name"]?.stringValue else { return nil }
        apiVersion = value["apiVersion"]?.stringValue ?? ""
        self.kind = kind
        self.name = name
        uid = value["uid"]?.stringValue ?? ""
        controller = value["controller"]?.boolValue ?? false
        blockOwnerDeletion = value["blockOwnerDeletion"]?.boolValue ?? false
    }

    public var value: Value {
        // Built in one allocation (inserting one by one grew the storage three times): every
        // object the operator creates carries one.
        .object(OrderedMap(uniqueSlots: [
            OrderedMap.Slot("apiVersion", .string(apiVersion)),
            OrderedMap.Slot("kind", .string(kind)),
            OrderedMap.Slot("name", .string(name)),
            OrderedMap.Slot("uid", .string(uid)),
            OrderedMap.Slot("controller", .bool(controller)),
            OrderedMap.Slot("blockOwnerDeletion", .bool(blockOwnerDeletion)),
        ]))
    }
}

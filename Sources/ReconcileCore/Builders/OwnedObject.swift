extension KubeObject {
    /// A new object owned (controller reference) by `owner`, in the owner's namespace, with the
    /// given labels and annotations. Every object the operator creates starts here.
    public static func owned(
        by owner: KubeObject, kind: GroupKind, name: String, labels: [String: String] = [:], annotations: [String: String] = [:]
    ) -> KubeObject {
        var o = KubeObject(apiVersion: Kinds.preferredAPIVersion(kind), kind: kind.kind, namespace: owner.namespace, name: name)
        if !labels.isEmpty { o.labels = labels }
        if !annotations.isEmpty { o.annotations = annotations }
        var ref = OwnerReference(controllerOf: owner)
        // Owned objects always point at the storage version, whatever version the owner was read in.
        if owner.groupKind.group == Kinds.toolhiveGroup { ref.apiVersion = Kinds.toolhiveAPIVersion }
        o.ownerReferences = [ref]
        return o
    }
}

/// Label maps merged with the operator's precedence rules.
public enum Labels {
    /// `base` wins on conflict (operator keys beat user overrides, as the MCPServer controller does).
    public static func merge(operator base: [String: String], user: [String: String]) -> [String: String] {
        base.merging(user) { op, _ in op }
    }
    /// `user` wins on conflict (the MCPRegistry pod template).
    public static func merge(defaults base: [String: String], userWins user: [String: String]) -> [String: String] {
        base.merging(user) { _, u in u }
    }
}

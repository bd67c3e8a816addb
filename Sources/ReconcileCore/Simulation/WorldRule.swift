/// One of the other actors of a real cluster (the Deployment controller and kubelet, the Service
/// controller, the ToolHive proxy runner, the vMCP runtime's status reporter), as a small explicit
/// rule the offline engine runs between rounds with `--assume-ready`.
public protocol WorldRule: Sendable {
    /// Short name for explanations ("deployment-controller").
    var name: String { get }
    /// The writes this actor would make now, given the cluster as it is. Must return no change when
    /// the cluster already shows what the actor would write, so converge can reach a fixed point.
    func changes(in snapshot: Snapshot, env: OperatorEnvironment) -> [WorldChange]
}

/// A write made by a world rule. The ClusterModel applies it with the API server's rules (uids,
/// resourceVersions, status subresource).
public enum WorldChange: Sendable, Equatable {
    /// Server-side apply with the rule as field manager: the fields given are set, fields other
    /// writers own are kept; status untouched unless the object is new.
    case upsert(KubeObject)
    /// Replace an object's status.
    case setStatus(ObjectKey, Value)
    case delete(ObjectKey)
}

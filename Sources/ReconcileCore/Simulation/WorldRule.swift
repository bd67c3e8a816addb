/// One of the other actors of a real cluster (the Deployment controller and kubelet, the Service
/// controller, the ToolHive proxy runner, the vMCP runtime), as a small explicit rule the offline
/// engine runs between rounds with `--assume-ready`.
///
/// An actor works through the objects of one kind (its primaries) one at a time, like a
/// controller. `converge` asks it only about the primaries a write may have affected
/// (`WorldRuleQueue`); `changes(in:env:)` asks about every one.
public protocol WorldRule: Sendable {
    /// Short name for explanations ("deployment-controller").
    var name: String { get }
    /// The kind of object the actor acts for (Deployments, MCPServers, ...).
    var primaryKind: GroupKind { get }
    /// The writes this actor would make now for the primary `key` (none when it is absent), given
    /// the cluster as it is. Must return no change when the cluster already shows what the actor
    /// would write, so converge can reach a fixed point; and once it returns none, it must go on
    /// returning none, whatever the clock says, until something it reads is written.
    func changes(for key: ObjectKey, in snapshot: Snapshot, env: OperatorEnvironment) -> [WorldChange]
    /// The primaries whose changes may differ now that `object` has been written (called with the
    /// version before a write and the one after): every primary that reads it, or nil when the
    /// rule cannot tell (then any write has it look at every primary again). `key` is
    /// `object.key`, given because this runs for every rule on every write; `model` resolves
    /// owner uids.
    func primaries(affectedBy object: KubeObject, key: ObjectKey, in model: ClusterModel) -> [ObjectKey]?
}

extension WorldRule {
    /// The writes this actor would make now for every primary, in key order.
    public func changes(in snapshot: Snapshot, env: OperatorEnvironment) -> [WorldChange] {
        snapshot.keys(primaryKind).flatMap { changes(for: $0, in: snapshot, env: env) }
    }
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

/// Maps a changed object to the primaries that must be reconciled: the object itself when it is
/// a primary, its controlling owner when that owner is a primary, and whatever each controller's
/// own mapping says. The live adapter, `converge` and `simulate --changed` all call this one function.
public enum WatchMapping {
    /// `previous` is the object before the change (nil for a create); both versions are mapped, so a
    /// server moved from group A to group B enqueues both groups.
    public static func requests(changed: KubeObject?, previous: KubeObject?, snapshot: Snapshot, controllers: ControllerSet, env: OperatorEnvironment) -> [ReconcileRequest] {
        var out = Set<ReconcileRequest>()
        for object in [previous, changed].compactMap({ $0 }) {
            // Read once per object, not once per controller: this runs for every write of a converge.
            let kind = object.groupKind
            let owner = object.controllerOwner.map { ref in
                ObjectKey(GroupKind(group: APIVersion.group(of: ref.apiVersion), kind: ref.kind), namespace: object.namespace, name: ref.name)
            }
            for r in controllers.reconcilers {
                let primaryKind = r.primaryKind
                if kind == primaryKind {
                    out.insert(ReconcileRequest(controller: r.name, key: object.key))
                }
                if let owner, owner.groupKind == primaryKind {
                    out.insert(ReconcileRequest(controller: r.name, key: owner))
                }
                for key in r.primaries(affectedBy: object, in: snapshot) {
                    out.insert(ReconcileRequest(controller: r.name, key: key))
                }
            }
        }
        return out.filter { env.watches(namespace: $0.key.namespace) }.sorted()
    }
}

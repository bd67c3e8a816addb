import ReconcileCore

/// A small reconciler used to drive the live manager end to end: for each MCPGroup it adds a
/// finalizer, keeps an owned ConfigMap, reports Ready once the ConfigMap is observed, and on
/// deletion removes its finalizer.
struct GroupMarker: Reconciler {
    static let finalizer = "test.toolhive.dev/marker"
    var name: String { "MCPGroup" }
    var primaryKind: GroupKind { Kinds.mcpGroup }

    func reconcile(_ snapshot: Snapshot, key: ObjectKey, env: OperatorEnvironment) -> ReconcileResult {
        guard let group = snapshot.get(key) else { return ReconcileResult(controller: name, object: ObjectReference(apiVersion: Kinds.toolhiveAPIVersion, kind: key.kind, namespace: key.namespace, name: key.name)) }
        var plan = PlanBuilder(controller: name, primary: group, snapshot: snapshot)
        if group.isBeingDeleted {
            plan.removeFinalizer(Self.finalizer, why: "group deleted")
            return plan.result
        }
        plan.addFinalizer(Self.finalizer, why: "clean up on deletion")
        var marker = KubeObject.owned(by: group, kind: Kinds.configMap, name: "\(group.name)-marker", labels: ["app": "marker"])
        marker.root["data"] = ["group": .string(group.name)]
        plan.ensure(marker, why: "marker for the group")
        let present = snapshot.get(marker.key) != nil
        var conditions = ConditionList(status: group.status)
        conditions.set("Ready", present ? .true : .false, reason: present ? "MarkerPresent" : "MarkerMissing", message: "",
                       observedGeneration: group.generation, now: env.now)
        var status = group.status.objectValue ?? OrderedMap()
        status["phase"] = .string(present ? "Ready" : "Pending")
        status["conditions"] = conditions.value
        plan.setStatus(.object(status))
        return plan.result
    }
}

/// The MCPGroup controller as one pure pass (spec A §3): membership from the snapshot's `groupRef`
/// index, status with sorted member lists, and on deletion a `GroupRefValidated=False` mark on
/// every member before the finalizer goes.
public struct MCPGroupReconciler: Reconciler {
    public let name = "MCPGroup"
    public let primaryKind = Kinds.mcpGroup
    public init() {}

    public static let beingDeletedMessage = "Referenced MCPGroup is being deleted"
    static let checkedMessage = "Successfully listed MCPServers, MCPRemoteProxies, and MCPServerEntries in namespace"

    public func reconcile(_ snapshot: Snapshot, key: ObjectKey, env: OperatorEnvironment) -> ReconcileResult {
        guard let object = snapshot.get(key) else {
            return .gone(controller: name, key: key)
        }
        var plan = PlanBuilder(controller: name, primary: object, snapshot: snapshot)
        let now = env.now

        if object.isBeingDeleted {
            guard object.finalizers.contains(MCPGroup.finalizer) else { return plan.result }
            for kind in MCPGroup.memberKinds {
                for member in MCPGroup.members(of: kind, group: object.name, namespace: object.namespace, in: snapshot) {
                    var conditions = ConditionList(status: member.status)
                    conditions.set(
                        ConditionType.groupRefValidated, .false, reason: ConditionReason.groupRefNotFound, message: Self.beingDeletedMessage,
                        observedGeneration: member.generation, now: now)
                    var status = member.status.objectValue ?? OrderedMap()
                    status["conditions"] = conditions.value
                    plan.setStatus(of: member, .object(status), why: ["\(member.kind) \(member.name) references MCPGroup \(object.name), which is being deleted"])
                }
            }
            plan.removeFinalizer(MCPGroup.finalizer, why: "every member is told the group is going away")
            return plan.result
        }

        // Go adds the finalizer and requeues; here the status is computed in the same pass.
        plan.addFinalizer(MCPGroup.finalizer, why: "members must be told when the group is deleted")

        var status = object.status.objectValue ?? OrderedMap()
        var conditions = ConditionList(status: object.status)
        let gen = object.generation
        status["observedGeneration"] = gen != 0 ? Value.int(gen) : Optional<Value>.none
        status["phase"] = .string(Phase.ready)
        for (kind, listKey, countKey) in [
            (Kinds.mcpServer, "servers", "serverCount"), (Kinds.mcpRemoteProxy, "remoteProxies", "remoteProxyCount"),
            (Kinds.mcpServerEntry, "entries", "entryCount"),
        ] {
            let names = MCPGroup.memberKeys(of: kind, group: object.name, namespace: object.namespace, in: snapshot).map(\.name)
            status[listKey] = names.isEmpty ? Optional<Value>.none : Value.strings(names)
            status[countKey] = names.isEmpty ? Optional<Value>.none : Value.int(Int64(names.count))
        }
        conditions.set(
            ConditionType.mcpServersChecked, .true, reason: ConditionReason.listMCPServersCheckSucceeded, message: Self.checkedMessage,
            observedGeneration: gen, now: now)
        status["conditions"] = conditions.value
        plan.setStatus(Self.ordered(status), why: ["membership of MCPGroup \(object.name)"])
        return plan.result
    }

    /// Status fields in the Go type's order, unknown ones after.
    static func ordered(_ status: OrderedMap) -> Value {
        let order = ["observedGeneration", "phase", "servers", "serverCount", "remoteProxies", "remoteProxyCount", "entries", "entryCount", "conditions"]
        var m = OrderedMap()
        for k in order { if let v = status[k] { m[k] = v } }
        for (k, v) in status where !order.contains(k) { m[k] = v }
        return .object(m)
    }

    /// A member (server, remote proxy, entry) enqueues the group it names, if that group exists in
    /// its namespace. `WatchMapping` calls this with the old and the new object, so a member moving
    /// from group A to group B enqueues both.
    public func primaries(affectedBy changed: KubeObject, in snapshot: Snapshot) -> [ObjectKey] {
        guard MCPGroup.memberKinds.contains(changed.groupKind), let g = GroupRef.name(in: changed) else { return [] }
        let key = ObjectKey(Kinds.mcpGroup, namespace: changed.namespace, name: g)
        return snapshot.contains(key) ? [key] : []
    }
}

@testable import ReconcileCore

/// Small reconcilers with the shape of the real ones, so the engine is tested on its own.
enum Fake {
    static let finalizer = "fake.toolhive.dev/finalizer"

    static func server(_ name: String, namespace: String = "default", replicas: Int64? = nil, extraSpec: [String: Value] = [:]) -> KubeObject {
        var o = KubeObject(apiVersion: Kinds.toolhiveAPIVersion, kind: "MCPServer", namespace: namespace, name: name)
        var spec = OrderedMap()
        spec["image"] = "example/mcp:1"
        if let replicas { spec["replicas"] = .int(replicas) }
        for (k, v) in extraSpec.sorted(by: { $0.key < $1.key }) { spec[k] = v }
        o.spec = .object(spec)
        return o
    }

    /// The empty result for a primary that is gone, as the real reconcilers return it.
    static func gone(_ controller: String, _ key: ObjectKey) -> ReconcileResult {
        ReconcileResult(controller: controller, object: ObjectReference(apiVersion: Kinds.preferredAPIVersion(key.groupKind), kind: key.kind, namespace: key.namespace, name: key.name))
    }

    static func configMap(_ name: String, namespace: String = "default", data: [String: String]) -> KubeObject {
        var o = KubeObject(apiVersion: "v1", kind: "ConfigMap", namespace: namespace, name: name)
        o.root["data"] = .stringMap(data)
        return o
    }

    /// A reconciler made of a closure over the primary and a PlanBuilder.
    struct ClosureReconciler: Reconciler {
        let name: String
        let primaryKind: GroupKind
        let body: @Sendable (KubeObject, Snapshot, OperatorEnvironment, inout PlanBuilder) -> Void

        func reconcile(_ snapshot: Snapshot, key: ObjectKey, env: OperatorEnvironment) -> ReconcileResult {
            guard let primary = snapshot.get(key) else { return Fake.gone(name, key) }
            var plan = PlanBuilder(controller: name, primary: primary, snapshot: snapshot)
            body(primary, snapshot, env, &plan)
            return plan.result
        }
    }

    /// Like the MCPServer controller in miniature: a finalizer, a Deployment whose pods carry the
    /// server's labels, a status from the Deployment's readiness, and a 30 s requeue while not ready.
    static let workload = ClosureReconciler(name: "MCPServer", primaryKind: Kinds.mcpServer) { server, snapshot, env, plan in
        if server.isBeingDeleted {
            plan.removeFinalizer(Fake.finalizer, why: "cleanup done")
            return
        }
        plan.addFinalizer(Fake.finalizer, why: "cleanup on delete")
        let labels = ["app": "fake", "fake/instance": server.name]
        var deployment = KubeObject.owned(by: server, kind: Kinds.deployment, name: server.name, labels: labels)
        let base: Value = [
            "selector": ["matchLabels": .stringMap(labels)],
            "template": ["metadata": ["labels": .stringMap(labels)], "spec": ["containers": [["name": "main", "image": server.spec["image"] ?? "none"]]]],
        ]
        var spec = base.objectValue ?? OrderedMap()
        if let r = server.spec["replicas"] { spec["replicas"] = r }
        deployment.spec = .object(spec)
        plan.ensure(deployment, why: "runs the server")
        let ready = snapshot.list(Kinds.pod, namespace: server.namespace, matching: labels).filter { $0.status["phase"]?.stringValue == "Running" }.count
        var conditions = ConditionList(status: server.status)
        conditions.set("Ready", ready > 0 ? .true : .false, reason: ready > 0 ? "Ready" : "NotReady", message: ready > 0 ? "running" : "waiting for pods", observedGeneration: server.generation, now: env.now)
        var status = OrderedMap()
        status["phase"] = .string(ready > 0 ? "Ready" : "Pending")
        status["readyReplicas"] = .int(Int64(ready))
        status["conditions"] = conditions.value
        plan.setStatus(.object(status))
        if ready == 0 { plan.requeue(after: 30) }
    }

    /// Rewrites a ConfigMap it owns to the other of two values every time: a guaranteed oscillation.
    static let flipFlop = ClosureReconciler(name: "MCPGroup", primaryKind: Kinds.mcpGroup) { group, snapshot, _, plan in
        let current = snapshot.get(Kinds.configMap, namespace: group.namespace, name: "flip")?.root["data"]?["value"]?.stringValue
        var cm = KubeObject.owned(by: group, kind: Kinds.configMap, name: "flip")
        cm.root["data"] = ["value": .string(current == "a" ? "b" : "a")]
        plan.ensure(cm, why: "flip")
    }

    /// Writes a counter one higher every time: never converges, never repeats.
    static let counter = ClosureReconciler(name: "MCPRegistry", primaryKind: Kinds.mcpRegistry) { registry, _, _, plan in
        plan.setStatus(["count": .int((registry.status["count"]?.intValue ?? 0) + 1)])
    }
}

import Testing
@testable import ReconcileCore

/// Builders for MCPRegistry unit tests: registries and owned objects as literals, and a minimal
/// stand-in for the API server that carries a plan's actions out on a snapshot.
enum RegistryFixture {
    static let namespace = "toolhive-system"
    static let uid = "uid-reg-1"
    static let config = "sources:\n  - name: k8s\n    kubernetes: {}\nregistries:\n  - name: default\n    sources: [\"k8s\"]\n"
    static let env = OperatorEnvironment()
    static let reconciler = MCPRegistryReconciler()

    static func registry(
        name: String = "reg", spec: Value = ["configYAML": .string(config)], generation: Int64 = 1,
        finalizers: [String] = [MCPRegistry.finalizer], status: Value = .null, deleting: Bool = false
    ) -> KubeObject {
        var o = KubeObject(apiVersion: Kinds.toolhiveAPIVersion, kind: "MCPRegistry", namespace: namespace, name: name)
        o.uid = uid
        o.generation = generation
        o.finalizers = finalizers
        if deleting { o.deletionTimestamp = "2026-01-01T00:00:00Z" }
        o.spec = spec
        o.status = status
        return o
    }

    /// A Deployment `R-api` owned by the registry with the given ready replica count.
    static func deployment(for registry: KubeObject, readyReplicas: Int64?) -> KubeObject {
        var d = KubeObject.owned(by: registry, kind: Kinds.deployment, name: Naming.registryAPI(registry.name))
        d.root["spec"] = ["replicas": 1]
        if let readyReplicas { d.status = ["replicas": 1, "readyReplicas": .int(readyReplicas)] }
        return d
    }

    static func key(_ name: String = "reg") -> ObjectKey { ObjectKey(Kinds.mcpRegistry, namespace: namespace, name: name) }

    static func reconcile(_ objects: [KubeObject], name: String = "reg", env: OperatorEnvironment = env) -> ReconcileResult {
        reconciler.reconcile(Snapshot(objects), key: key(name), env: env)
    }

    /// Carries the actions out with the shared test API server.
    static func applying(_ result: ReconcileResult, to snapshot: Snapshot) -> Snapshot {
        var s = snapshot
        TestAPIServer.apply(result, to: &s)
        return s
    }

    /// A registry created from scratch and brought to Ready: its first pass applied, the Deployment
    /// given one ready replica, the second pass applied.
    static func readyWorld() -> Snapshot {
        var s = Snapshot([registry(finalizers: [])])
        s = applying(reconciler.reconcile(s, key: key(), env: env), to: s)
        s = settingReady(1, in: s)
        return applying(reconciler.reconcile(s, key: key(), env: env), to: s)
    }

    /// The user edits the registry's spec (the API server bumps the generation).
    static func editingSpec(_ spec: Value, in snapshot: Snapshot) -> Snapshot {
        var s = snapshot
        if var reg = s.get(key()) {
            reg.spec = spec
            reg.generation += 1
            s.upsert(reg)
        }
        return s
    }

    /// Sets the Deployment's ready replicas, as the Deployment controller and kubelet would.
    static func settingReady(_ n: Int64, registry: String = "reg", in snapshot: Snapshot) -> Snapshot {
        var s = snapshot
        if var d = s.get(Kinds.deployment, namespace: namespace, name: Naming.registryAPI(registry)) {
            d.status = ["replicas": 1, "readyReplicas": .int(n)]
            s.upsert(d)
        }
        return s
    }
}

extension ReconcileResult {
    var appliedObjects: [KubeObject] {
        actions.compactMap { if case .apply(let o) = $0.operation { return o }; return nil }
    }
    /// Applied objects of a kind (one per kind in a registry pass).
    func applied(_ kind: GroupKind) -> KubeObject? {
        appliedObjects.first { $0.groupKind == kind }
    }
    /// `op Kind` per action: the registry's order of writes without repeating its object names.
    var ops: [String] { actions.map { "\($0.op) \($0.target.kind)" } }
}

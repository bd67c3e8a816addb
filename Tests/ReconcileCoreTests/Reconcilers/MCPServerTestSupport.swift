import Testing
@testable import ReconcileCore

/// Builders for the objects the MCPServer and MCPGroup tests put in snapshots, and a tiny stand-in
/// for the API server that carries a plan's actions out, so a test can check the next pass.
enum MCPTestObjects {
    static let ns = "toolhive-system"

    static func object(_ apiVersion: String, _ kind: String, _ name: String, ns: String = MCPTestObjects.ns, uid: String? = nil, generation: Int64 = 1) -> KubeObject {
        var o = KubeObject(apiVersion: apiVersion, kind: kind, namespace: ns, name: name)
        o.uid = uid ?? "uid-\(kind.lowercased())-\(ns)-\(name)"
        o.generation = generation
        return o
    }

    static func server(
        _ name: String = "fetch", ns: String = MCPTestObjects.ns, spec: Value = ["image": "ghcr.io/stackloklabs/gofetch/server", "transport": "streamable-http"],
        generation: Int64 = 1, finalizer: Bool = true, status: Value? = nil, annotations: [String: String] = [:], apiVersion: String = "toolhive.stacklok.dev/v1beta1"
    ) -> KubeObject {
        var o = object(apiVersion, "MCPServer", name, ns: ns, generation: generation)
        if finalizer { o.finalizers = [MCPServer.finalizer] }
        if !annotations.isEmpty { o.annotations = annotations }
        o.spec = spec
        if let status { o.status = status }
        return o
    }

    static func group(_ name: String, ns: String = MCPTestObjects.ns, phase: String? = "Ready", finalizer: Bool = true, deleting: Bool = false) -> KubeObject {
        var o = object("toolhive.stacklok.dev/v1beta1", "MCPGroup", name, ns: ns)
        if finalizer { o.finalizers = [MCPGroup.finalizer] }
        if let phase { o.status = ["phase": .string(phase)] }
        if deleting { o.deletionTimestamp = "2025-12-31T23:00:00Z" }
        return o
    }

    static func member(_ kind: String, _ name: String, group: Value?, ns: String = MCPTestObjects.ns) -> KubeObject {
        var o = object("toolhive.stacklok.dev/v1beta1", kind, name, ns: ns)
        var spec: Value = ["image": "img"]
        if let group { spec.set(path: ["groupRef"], to: group) }
        o.spec = spec
        return o
    }

    /// A proxy pod of server `n` (labels `L(n)`).
    static func pod(_ name: String, server n: String = "fetch", phase: String = "Running", ready: Bool = true, waiting: String? = nil, exitCode: Int64? = nil, deleting: Bool = false) -> KubeObject {
        var o = object("v1", "Pod", name)
        o.labels = ProxyDeploymentBuilder.labels(server: n)
        if deleting { o.deletionTimestamp = "2025-12-31T23:00:00Z" }
        var cs: Value = ["name": "toolhive", "ready": .bool(ready)]
        if let waiting { cs.set(path: ["state", "waiting", "reason"], to: .string(waiting)) }
        if let exitCode { cs.set(path: ["state", "terminated", "exitCode"], to: .int(exitCode)) }
        o.status = ["phase": .string(phase), "containerStatuses": [cs]]
        return o
    }

    static func statefulSet(_ n: String = "fetch", ownedBy owner: KubeObject? = nil) -> KubeObject {
        var o = object("apps/v1", "StatefulSet", n)
        o.labels = ["app": n, "toolhive": "true", "toolhive-name": n]
        if let owner { o.ownerReferences = [OwnerReference(apiVersion: "toolhive.stacklok.dev/v1beta1", kind: owner.kind, name: owner.name, uid: owner.uid)] }
        return o
    }

    static func env() -> OperatorEnvironment { OperatorEnvironment() }

    /// The same objects in five seeded shuffles must give the very same result.
    static func expectOrderIndependent(_ objects: [KubeObject], seed: UInt64, _ run: ([KubeObject]) -> ReconcileResult) {
        let expected = run(objects)
        var rng = SplitMix64(seed: seed)
        for _ in 0..<5 {
            var shuffled = objects
            shuffled.shuffle(using: &rng)
            #expect(run(shuffled) == expected)
        }
    }
}


/// Carries out a plan's actions the way the API server would for these tests: apply merges the
/// desired tree into the live one (maps merged, lists replaced), status and finalizer writes
/// replace their part, deletes remove.
enum TestAPIServer {
    static func apply(_ result: ReconcileResult, to snapshot: inout Snapshot) {
        for action in result.actions {
            switch action.operation {
            case .apply(let desired):
                if var live = snapshot.get(desired.key) {
                    var merged = live.value
                    merge(desired.value, into: &merged)
                    live = KubeObject(merged) ?? live
                    snapshot.upsert(live)
                } else {
                    var o = desired
                    o.uid = "uid-\(desired.kind.lowercased())-\(desired.namespace)-\(desired.name)"
                    snapshot.upsert(o)
                }
            case .delete(let target):
                snapshot.remove(target.key)
            case .patchStatus(let target, let status):
                if var o = snapshot.get(target.key) { o.status = status; snapshot.upsert(o) }
            case .addFinalizer(let target, let f):
                if var o = snapshot.get(target.key) { o.finalizers.append(f); snapshot.upsert(o) }
            case .removeFinalizer(let target, let f):
                if var o = snapshot.get(target.key) { o.finalizers.removeAll { $0 == f }; snapshot.upsert(o) }
            }
        }
    }

    static func merge(_ desired: Value, into live: inout Value) {
        guard case .object(let d) = desired, case .object(var l) = live else { live = desired; return }
        for (k, v) in d {
            var child = l[k] ?? .null
            merge(v, into: &child)
            l[k] = child
        }
        live = .object(l)
    }
}

extension ReconcileResult {
    /// `op kind/name` per action, the shape most assertions compare.
    var summary: [String] {
        actions.map { "\($0.op) \($0.target.kind)/\($0.target.name)" }
    }
    func applied(_ kind: String, _ name: String) -> KubeObject? {
        for a in actions {
            if case .apply(let o) = a.operation, o.kind == kind, o.name == name { return o }
        }
        return nil
    }
    var statusPatch: Value? {
        for a in actions {
            if case .patchStatus(let r, let s) = a.operation, r.kind == object.kind, r.name == object.name { return s }
        }
        return nil
    }
    func condition(_ type: String) -> Condition? {
        ConditionList(status: statusPatch ?? .null)[type]
    }
}

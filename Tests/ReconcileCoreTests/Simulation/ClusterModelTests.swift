import Testing
@testable import ReconcileCore

@Suite struct ClusterModelTests {
    let t0 = Timestamp.simulationEpoch

    func deployment(_ name: String, replicas: Int64? = nil, annotations: [String: String] = [:]) -> KubeObject {
        var d = KubeObject(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: name)
        if !annotations.isEmpty { d.annotations = annotations }
        var spec = OrderedMap()
        if let replicas { spec["replicas"] = .int(replicas) }
        spec["template"] = ["metadata": ["labels": ["app": .string(name)]]]
        d.spec = .object(spec)
        return d
    }

    @Test func createFillsServerManagedMetadata() throws {
        var m = ClusterModel(objects: [], now: t0)
        try m.apply(deployment("d"))
        try m.apply(Fake.configMap("c", data: ["k": "v"]))
        let d = try #require(m.get(Kinds.deploymentKey("d")))
        #expect(d.uid.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
        #expect(d.resourceVersion == "1")
        #expect(d.generation == 1)
        #expect(d.creationTimestamp == "2026-01-01T00:00:00Z")
        // The API server defaults replicas to 1.
        #expect(d.spec["replicas"] == 1)
        let c = try #require(m.get(ObjectKey(Kinds.configMap, namespace: "default", name: "c")))
        #expect(c.resourceVersion == "2")
        #expect(c.metadata["generation"] == nil)
        #expect(c.uid != d.uid)
    }

    @Test func generationBumpsOnlyOnSpecChanges() throws {
        var m = ClusterModel(objects: [], now: t0)
        let key = Kinds.deploymentKey("d")
        try m.apply(deployment("d", replicas: 1))
        try m.apply(deployment("d", replicas: 1, annotations: ["a": "1"]))
        #expect(m.get(key)?.generation == 1)
        #expect(m.get(key)?.resourceVersion == "2")
        try m.patchStatus(key, status: ["readyReplicas": 1], writer: "test")
        #expect(m.get(key)?.generation == 1)
        #expect(m.get(key)?.resourceVersion == "3")
        try m.apply(deployment("d", replicas: 3, annotations: ["a": "1"]))
        #expect(m.get(key)?.generation == 2)
        #expect(m.get(key)?.resourceVersion == "4")
    }

    @Test func aWriteThatChangesNothingIsNotAWrite() throws {
        var m = ClusterModel(objects: [], now: t0)
        try m.apply(deployment("d", replicas: 2))
        _ = m.drainChanges()
        let changed = try m.apply(deployment("d", replicas: 2))
        #expect(!changed)
        #expect(m.drainChanges().isEmpty)
        #expect(m.get(Kinds.deploymentKey("d"))?.resourceVersion == "1")
        let statusChanged = try m.patchStatus(Kinds.deploymentKey("d"), status: .null, writer: "x")
        #expect(!statusChanged)
    }

    @Test func emptiedFieldsAreRemovedNotNulled() throws {
        var m = ClusterModel(objects: [Fake.configMap("c", data: [:])], now: t0)
        let key = ObjectKey(Kinds.configMap, namespace: "default", name: "c")
        try m.patchStatus(key, status: ["x": 1], writer: "w")
        try m.patchStatus(key, status: [:], writer: "w")
        #expect(m.get(key)?.root["status"] == nil)
        try m.addFinalizer(key, "a/f", writer: "w")
        try m.removeFinalizer(key, "a/f", writer: "w")
        #expect(m.get(key)?.metadata["finalizers"] == nil)
    }

    @Test func statusIsASubresource() throws {
        var m = ClusterModel(objects: [], now: t0)
        let key = Kinds.deploymentKey("d")
        var withStatus = deployment("d", replicas: 2)
        withStatus.status = ["readyReplicas": 9]
        try m.apply(withStatus)
        #expect(m.get(key)?.status == .null)
        try m.patchStatus(key, status: ["readyReplicas": 2], writer: "kubelet")
        try m.apply(withStatus)
        #expect(m.get(key)?.status == ["readyReplicas": 2])
        #expect(m.get(key)?.spec["replicas"] == 2)
        #expect(throws: ClusterModelError.notFound(Kinds.deploymentKey("nope"), operation: "patchStatus")) {
            try m.patchStatus(Kinds.deploymentKey("nope"), status: ["a": 1], writer: "x")
        }
    }

    @Test func applyKeepsFieldsOthersOwnAndDropsFieldsTheOperatorStoppedSending() throws {
        var m = ClusterModel(objects: [], now: t0)
        let key = Kinds.deploymentKey("d")
        try m.apply(deployment("d", replicas: 2, annotations: ["op": "1", "old": "x"]))
        // An autoscaler takes replicas; kubectl adds an annotation.
        var hpa = KubeObject(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "d")
        hpa.spec = ["replicas": 5]
        try m.apply(hpa, manager: "horizontal-pod-autoscaler")
        var kubectl = KubeObject(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "d")
        kubectl.annotations = ["kubectl.kubernetes.io/restartedAt": "now"]
        try m.apply(kubectl, manager: "kubectl")
        // The operator's next apply omits replicas and the "old" annotation.
        try m.apply(deployment("d", annotations: ["op": "2"]))
        let d = try #require(m.get(key))
        #expect(d.spec["replicas"] == 5)
        #expect(d.annotations == ["op": "2", "kubectl.kubernetes.io/restartedAt": "now"])
        #expect(m.fieldManagers(of: key) == ["horizontal-pod-autoscaler", "kubectl", ClusterModel.operatorManager])
        // The operator takes replicas back by sending it (force); then dropping it removes it.
        try m.apply(deployment("d", replicas: 3, annotations: ["op": "2"]))
        #expect(m.get(key)?.spec["replicas"] == 3)
        try m.apply(deployment("d", annotations: ["op": "2"]))
        #expect(m.get(key)?.spec["replicas"] == nil)
    }

    @Test func staleResourceVersionIsAConflict() throws {
        var m = ClusterModel(objects: [], now: t0)
        try m.apply(deployment("d", replicas: 1))
        var stale = deployment("d", replicas: 2)
        stale.resourceVersion = "1"
        try m.apply(stale)  // current: accepted
        #expect(m.get(Kinds.deploymentKey("d"))?.resourceVersion == "2")
        #expect(throws: ClusterModelError.conflict(Kinds.deploymentKey("d"), sent: "1", current: "2")) {
            try m.apply(stale)
        }
        #expect(m.get(Kinds.deploymentKey("d"))?.spec["replicas"] == 2)
    }

    @Test func finalizersHoldDeletion() throws {
        var m = ClusterModel(objects: [], now: t0)
        let key = ObjectKey(Kinds.configMap, namespace: "default", name: "c")
        try m.apply(Fake.configMap("c", data: [:]))
        try m.addFinalizer(key, "a/f", writer: "op")
        try m.addFinalizer(key, "b/f", writer: "op")
        m.now = t0.adding(seconds: 60)
        let marked = m.delete(key, writer: "user")
        #expect(marked)
        #expect(m.get(key)?.deletionTimestamp == "2026-01-01T00:01:00Z")
        let again = m.delete(key, writer: "user")
        #expect(!again)
        #expect(throws: ClusterModelError.forbidden(key, "no new finalizers can be added if the object is being deleted")) {
            try m.addFinalizer(key, "c/f", writer: "op")
        }
        try m.removeFinalizer(key, "a/f", writer: "op")
        #expect(m.get(key)?.finalizers == ["b/f"])
        try m.removeFinalizer(key, "b/f", writer: "op")
        #expect(m.get(key) == nil)
        let absent = m.delete(key, writer: "user")
        #expect(!absent)
    }

    @Test func deletingAnOwnerCollectsItsDependentsTransitively() throws {
        var m = ClusterModel(objects: [], now: t0)
        try m.apply(Fake.server("s"))
        let server = try #require(m.get(ObjectKey(Kinds.mcpServer, namespace: "default", name: "s")))
        try m.apply(KubeObject.owned(by: server, kind: Kinds.deployment, name: "s"))
        let dep = try #require(m.get(Kinds.deploymentKey("s")))
        try m.apply(KubeObject.owned(by: dep, kind: Kinds.pod, name: "s-0"))
        // Owned by the server and by another live object: survives the server.
        let other = Fake.configMap("other", data: [:])
        try m.apply(other)
        let otherLive = try #require(m.get(other.key))
        var shared = Fake.configMap("shared", data: [:])
        shared.ownerReferences = [OwnerReference(controllerOf: server), OwnerReference(apiVersion: "v1", kind: "ConfigMap", name: "other", uid: otherLive.uid, controller: false)]
        try m.apply(shared)
        _ = m.drainChanges()
        m.delete(server.key, writer: "user")
        #expect(m.get(server.key) == nil)
        #expect(m.get(dep.key) == nil)
        #expect(m.get(ObjectKey(Kinds.pod, namespace: "default", name: "s-0")) == nil)
        #expect(m.get(shared.key) != nil)
        let log = m.drainChanges()
        #expect(log.map(\.key.name) == ["s", "s", "s-0"])
        #expect(log.dropFirst().allSatisfy { $0.writer == ClusterModel.garbageCollector && $0.new == nil })
    }

    @Test func loadingIsIndependentOfInputOrder() throws {
        let objects = [Fake.server("b"), Fake.server("a"), Fake.configMap("c", data: ["x": "y"])]
        let one = ClusterModel(objects: objects, now: t0)
        let two = ClusterModel(objects: objects.reversed(), now: t0)
        #expect(JSONWriter.write(one.list) == JSONWriter.write(two.list))
        #expect(one.get(Fake.server("a").key)?.resourceVersion == "2")
    }

    /// What the model writes is stored packed (but for ToolHive's own kinds), and each change
    /// carries the versions as stored, so converge can keep a round's writes without their trees.
    @Test func writesAreStoredPackedAndChangesCarryTheStoredVersions() throws {
        var m = ClusterModel(objects: [Fake.configMap("a", data: ["k": "1"])], now: t0)
        let key = ObjectKey(Kinds.configMap, namespace: "default", name: "a")
        if case .packed? = m.snapshot.stored(key) {} else { Issue.record("a loaded object is not packed") }
        _ = m.drainChanges()
        try m.apply(Fake.configMap("a", data: ["k": "2"]))
        let change = try #require(m.drainChanges().first)
        if case .packed? = change.storedNew {} else { Issue.record("the new version is not packed") }
        #expect(change.storedOld?.object.root == change.old?.root)
        #expect(change.storedNew?.object.root == change.new?.root)
        #expect(m.get(key)?.root["data"]?["k"] == "2")
        #expect(m.snapshot.list(Kinds.configMap, namespace: "default").map(\.name) == ["a"])
        // ToolHive's own objects, read again and again by every controller, stay trees.
        try m.apply(Fake.server("s"))
        if case .tree? = m.snapshot.stored(ObjectKey(Kinds.mcpServer, namespace: "default", name: "s")) {} else { Issue.record("an MCPServer is packed") }
    }

    @Test func actionsRunInOrder() throws {
        var m = ClusterModel(objects: [Fake.server("s")], now: t0)
        let ref = Fake.server("s").reference
        let actions: [Action] = [.addFinalizer(ref, "f/x"), .patchStatus(ref, ["phase": "Ready"]), .delete(ref), .removeFinalizer(ref, "f/x")]
        var ops: [String] = []
        for a in actions {
            try m.perform(a, writer: "MCPServer default/s")
            ops += m.drainChanges().map(\.op)
        }
        #expect(ops == ["addFinalizer", "patchStatus", "delete", "removeFinalizer"])
        #expect(m.get(ref.key) == nil)
    }
}

extension Kinds {
    static func deploymentKey(_ name: String, namespace: String = "default") -> ObjectKey {
        ObjectKey(deployment, namespace: namespace, name: name)
    }
}

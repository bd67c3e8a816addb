import Testing
@testable import ReconcileCore

@Suite struct SnapshotLookupTests {
    @Test func lookupOfOneKindGivesTheKeysOfThatKindOnly() {
        let server = VT.server("a", group: "g")
        let other = VT.server("b", group: "h")
        let vmcp = VT.vmcp("v")
        let s = Snapshot([VT.group(), server, other, vmcp])
        #expect(s.lookup(.groupRef, namespace: VT.ns, value: "g").map(\.key) == [server.key, vmcp.key])
        #expect(s.lookup(.groupRef, kind: Kinds.virtualMCPServer, namespace: VT.ns, value: "g") == [vmcp.key])
        #expect(s.lookup(.groupRef, kind: Kinds.mcpServer, namespace: VT.ns, value: "g") == [server.key])
        #expect(s.lookup(.groupRef, kind: Kinds.mcpServer, namespace: "elsewhere", value: "g").isEmpty)
        // A kind the index does not cover has no entries.
        #expect(s.lookup(.groupRef, kind: Kinds.mcpGroup, namespace: VT.ns, value: "g").isEmpty)
    }

    @Test func apiVersionGroup() {
        #expect(APIVersion.group(of: "apps/v1") == "apps")
        #expect(APIVersion.group(of: "v1") == "")
        #expect(APIVersion.group(of: "toolhive.stacklok.dev/v1beta1") == Kinds.toolhiveGroup)
        #expect(APIVersion.group(of: "toolhive.stacklok.devx/v1") == "toolhive.stacklok.devx")
        #expect(APIVersion.group(of: "héllo.example/v1") == "héllo.example")
        #expect(APIVersion.group(of: "") == "")
    }
}

@Suite struct SnapshotReplacementTests {
    func object(_ name: String, labels: [String: String], owner uid: String?) -> KubeObject {
        var o = KubeObject(apiVersion: "v1", kind: "ConfigMap", namespace: "ns", name: name)
        o.labels = labels
        if let uid { o.ownerReferences = [OwnerReference(apiVersion: "v1", kind: "Secret", name: "s", uid: uid)] }
        return o
    }

    /// The engine replaces an object giving the version it read, so the old one is unindexed
    /// without decoding it again: the indexes must end as if it had been decoded.
    @Test(arguments: [false, true])
    func replacingWithTheStoredVersionReindexes(packed: Bool) {
        var s = Snapshot()
        let a = object("x", labels: ["app": "a"], owner: "u1")
        s.upsert(a, packed: packed)
        let b = object("x", labels: ["app": "b"], owner: nil)
        let stored = s.upsert(b, packed: packed, replacing: a)
        #expect(s.list(Kinds.configMap, namespace: "ns", matching: ["app": "a"]).isEmpty)
        #expect(s.list(Kinds.configMap, namespace: "ns", matching: ["app": "b"]).map(\.name) == ["x"])
        #expect(s.owned(by: "u1").isEmpty)
        #expect(s.count == 1)
        #expect(stored.object.root == b.root)
        if case .packed = stored { #expect(packed) } else { #expect(!packed) }
        // Without a previous version it still replaces (decoding the stored one).
        s.upsert(a, packed: packed, replacing: nil)
        #expect(s.list(Kinds.configMap, namespace: "ns", matching: ["app": "b"]).isEmpty)
        #expect(s.owned(by: "u1").map(\.name) == ["x"])
    }

    @Test func containsTellsWhetherAnObjectIsStoredWithoutReadingIt() {
        let s = Snapshot([object("x", labels: [:], owner: nil)], packed: true)
        #expect(s.contains(Kinds.configMap, namespace: "ns", name: "x"))
        #expect(!s.contains(Kinds.configMap, namespace: "ns", name: "y"))
        #expect(!s.contains(Kinds.secret, namespace: "ns", name: "x"))
    }
}

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

    /// Origins are stored as a path's position in a table plus a line and column: objects from
    /// several files keep their own paths, positions come back as given, and a file's objects
    /// can still be dropped by path.
    @Test func originsKeepTheirPathsAndPositions() {
        var s = Snapshot()
        let objects = (0..<6).map { VT.server("s\($0)", group: "g") }
        func location(_ i: Int) -> FileLocation {
            FileLocation(path: i % 2 == 0 ? "a.yaml" : "dir/b.yaml", position: SourcePosition(line: 10 * i + 1, column: i + 1))
        }
        for (i, o) in objects.enumerated() { s.upsert(o, packed: i < 3, origin: location(i)) }
        for (i, o) in objects.enumerated() { #expect(s.origin(of: o.key) == location(i)) }
        #expect(s.origins.count == 6 && s.origins[objects[5].key] == location(5))
        s.dropObjects(from: "dir/b.yaml")
        #expect(s.count == 3 && s.keys(Kinds.mcpServer).map(\.name) == ["s0", "s2", "s4"])
        // A position beyond 32 bits reads back as the largest one kept.
        let far = FileLocation(path: "c.yaml", position: SourcePosition(line: Int(UInt32.max) + 5, column: 7))
        s.setOrigin(far, of: objects[0].key)
        #expect(s.origin(of: objects[0].key) == FileLocation(path: "c.yaml", position: SourcePosition(line: Int(UInt32.max), column: 7)))
        #expect(s.origin(of: objects[2].key) == location(2))
        s.setOrigin(nil, of: objects[0].key)
        #expect(s.origin(of: objects[0].key) == nil && s.origins.count == 2)
    }

    /// The storage nested by kind, namespace and name: counts, key listings, orders and origins
    /// stay right through inserts, replacements and removals.
    @Test func storageKeepsCountsOrdersAndOriginsThroughChanges() {
        var s = Snapshot()
        let a = VT.server("a", group: "g")
        let b = VT.server("b", group: "g")
        var other = VT.server("c", group: "g")
        other.setMeta("namespace", "other")
        let group = VT.group()
        for (i, o) in [b, other, group, a].enumerated() {
            s.upsert(o, packed: i % 2 == 0, origin: FileLocation(path: "f.yaml", position: SourcePosition(line: i + 1, column: 1)))
        }
        #expect(s.count == 4)
        #expect(Set(s.keys) == Set([a.key, b.key, other.key, group.key]))
        #expect(Set(s.kinds) == [Kinds.mcpServer, Kinds.mcpGroup])
        #expect(s.keys(Kinds.mcpServer) == [a.key, b.key, other.key])  // namespace, then name
        #expect(s.list(Kinds.mcpServer, namespace: VT.ns).map(\.name) == ["a", "b"])
        #expect(s.list(Kinds.mcpServer).map(\.name) == ["a", "b", "c"])
        #expect(Array(s.keysByReference) == [group.key, a.key, b.key, other.key])
        #expect(s.origin(of: a.key)?.position.line == 4)
        #expect(s.origins.count == 4)
        #expect(s.allObjects.map(\.key) == [group.key, a.key, b.key, other.key])

        // Replacing keeps the count and drops the origin; setOrigin gives one back.
        var changed = a
        changed.labels = ["x": "y"]
        s.upsert(changed)
        #expect(s.count == 4)
        #expect(s.origin(of: a.key) == nil)
        #expect(s.get(a.key)?.labels == ["x": "y"])
        s.setOrigin(FileLocation(path: "g.yaml", position: SourcePosition(line: 9, column: 3)), of: a.key)
        #expect(s.origin(of: a.key)?.path == "g.yaml")
        s.setOrigin(FileLocation(path: "g.yaml", position: SourcePosition(line: 1, column: 1)), of: ObjectKey(Kinds.mcpServer, namespace: VT.ns, name: "absent"))
        #expect(s.count == 4 && s.get(ObjectKey(Kinds.mcpServer, namespace: VT.ns, name: "absent")) == nil)

        // Removing the last object of a namespace and of a kind leaves no trace of either.
        #expect(s.remove(other.key)?.name == "c")
        #expect(s.remove(other.key) == nil)
        #expect(s.list(Kinds.mcpServer, namespace: "other").isEmpty)
        #expect(s.remove(group.key) != nil)
        #expect(s.kinds == [Kinds.mcpServer])
        #expect(s.count == 2)
        var visited: [String] = []
        s.forEachObject { _, o in visited.append(o.name) }
        #expect(visited.sorted() == ["a", "b"])
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

    /// A replacement that leaves labels, owners and field-index values alone (a status or spec
    /// write) keeps the entry's index slots; the new version is what every query returns.
    @Test(arguments: [false, true])
    func replacingWithTheSameIndexedFieldsKeepsTheIndexes(packed: Bool) {
        var s = Snapshot()
        var a = VT.server("a", group: "g")
        a.labels = ["app": "a"]
        a.ownerReferences = [OwnerReference(apiVersion: "v1", kind: "Secret", name: "s", uid: "u1")]
        s.upsert(a, packed: packed)
        var b = a
        b.status = ["phase": "Ready"]
        b.spec = ["groupRef": ["name": "g"], "image": "other"]
        let stored = s.upsert(b, packed: packed, replacing: a)
        #expect(stored.object.root == b.root)
        #expect(s.count == 1)
        #expect(s.get(a.key)?.root == b.root)
        #expect(s.list(Kinds.mcpServer, namespace: VT.ns, matching: ["app": "a"]).map(\.root) == [b.root])
        #expect(s.owned(by: "u1").map(\.root) == [b.root])
        #expect(s.lookup(.groupRef, kind: Kinds.mcpServer, namespace: VT.ns, value: "g") == [a.key])
        // A changed field-index value (the group) is reindexed.
        var c = b
        c.spec = ["groupRef": ["name": "h"]]
        s.upsert(c, packed: packed, replacing: b)
        #expect(s.lookup(.groupRef, kind: Kinds.mcpServer, namespace: VT.ns, value: "g").isEmpty)
        #expect(s.lookup(.groupRef, kind: Kinds.mcpServer, namespace: VT.ns, value: "h") == [a.key])
        #expect(s.list(Kinds.mcpServer, namespace: VT.ns, matching: ["app": "a"]).map(\.root) == [c.root])
    }

    @Test func containsTellsWhetherAnObjectIsStoredWithoutReadingIt() {
        let s = Snapshot([object("x", labels: [:], owner: nil)], packed: true)
        #expect(s.contains(Kinds.configMap, namespace: "ns", name: "x"))
        #expect(!s.contains(Kinds.configMap, namespace: "ns", name: "y"))
        #expect(!s.contains(Kinds.secret, namespace: "ns", name: "x"))
    }
}

import Testing
@testable import ReconcileCore

@Suite struct KeyListTests {
    static let servers = Kinds.mcpServer
    static let groups = Kinds.mcpGroup

    static func key(_ kind: GroupKind, _ ns: String, _ name: String) -> ObjectKey { ObjectKey(kind, namespace: ns, name: name) }

    @Test func keysReadBackInOrderAcrossRuns() {
        var list = KeyList()
        list.append(Self.groups, namespace: "a", names: ["g1"])
        list.append(Self.servers, namespace: "a", names: ["s1", "s2"])
        list.append(Self.servers, namespace: "a", names: ["s3"])  // continues the run
        list.append(Self.servers, namespace: "b", names: [String]())  // nothing: no run
        list.append(Self.servers, namespace: "b", names: ["s1"])
        let expected = [
            Self.key(Self.groups, "a", "g1"), Self.key(Self.servers, "a", "s1"), Self.key(Self.servers, "a", "s2"),
            Self.key(Self.servers, "a", "s3"), Self.key(Self.servers, "b", "s1"),
        ]
        #expect(list.count == 5)
        #expect(Array(list) == expected)
        #expect(list[3] == expected[3] && list[4] == expected[4] && list[0] == expected[0])
        #expect(KeyList(expected) == list)
        #expect(KeyList().isEmpty && Array(KeyList()) == [])
    }

    /// Equality is about the keys, not how they were split into runs.
    @Test func equalityComparesKeysNotRuns() {
        var one = KeyList()
        one.append(Self.servers, namespace: "a", names: ["x", "y"])
        var two = KeyList()
        two.append(Self.servers, namespace: "a", names: ["x"])
        two.append(contentsOf: KeyList([Self.key(Self.servers, "a", "y")]))
        #expect(one == two)
        two.append(Self.servers, namespace: "a", names: ["z"])
        #expect(one != two)
        var other = KeyList()
        other.append(Self.groups, namespace: "a", names: ["x", "y"])
        #expect(one != other)
    }

    @Test func appendingAnotherListKeepsItsRuns() {
        let tail = KeyList([Self.key(Self.servers, "b", "1"), Self.key(Self.groups, "b", "2"), Self.key(Self.groups, "c", "3")])
        var list = KeyList([Self.key(Self.servers, "a", "0")])
        list.append(contentsOf: tail)
        #expect(Array(list) == [Self.key(Self.servers, "a", "0"), Self.key(Self.servers, "b", "1"), Self.key(Self.groups, "b", "2"), Self.key(Self.groups, "c", "3")])
    }

    @Test func appendSortedSortsOnlyWhatItAppends() {
        var list = KeyList([Self.key(Self.servers, "a", "z")])
        list.appendSorted(Self.servers, namespace: "a", names: ["c", "a", "b"])
        list.appendSorted(Self.servers, namespace: "b", names: Set(["y", "x"]))
        #expect(list.map(\.name) == ["z", "a", "b", "c", "x", "y"])
        #expect(list.map(\.namespace) == ["a", "a", "a", "a", "b", "b"])
    }

    @Test func removingNamespacesKeepsTheRestInOrder() {
        var list = KeyList([
            Self.key(Self.servers, "a", "1"), Self.key(Self.servers, "b", "2"), Self.key(Self.servers, "b", "3"),
            Self.key(Self.servers, "c", "4"), Self.key(Self.groups, "b", "5"),
        ])
        list.removeKeys(inNamespacesWhere: { $0 == "b" })
        #expect(Array(list) == [Self.key(Self.servers, "a", "1"), Self.key(Self.servers, "c", "4")])
        list.removeKeys(inNamespacesWhere: { _ in false })
        #expect(list.count == 2)
        list.removeKeys(inNamespacesWhere: { _ in true })
        #expect(list.isEmpty)
    }

    @Test func snapshotKeyListIsSortedByNamespaceThenName() {
        let objects = [VT.server("b", group: "g"), VT.server("a", group: "g"), VT.group()]
        var elsewhere = VT.server("a", group: "g")
        elsewhere.setMeta("namespace", "0-first")
        let s = Snapshot(objects + [elsewhere], packed: true)
        #expect(Array(s.keyList(Kinds.mcpServer)) == [elsewhere.key, objects[1].key, objects[0].key])
        #expect(s.keys(Kinds.mcpServer) == Array(s.keyList(Kinds.mcpServer)))
        #expect(s.keyList(Kinds.virtualMCPServer).isEmpty)
    }
}

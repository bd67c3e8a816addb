import Testing
@testable import ReconcileCore

@Suite struct NameSetTests {
    @Test func keepsNamesSortedAndUnique() {
        var set = NameSet()
        #expect(set.isEmpty && set.sorted == [])
        for name in ["m", "b", "z", "b", "a", "m"] { set.insert(name) }
        #expect(set.sorted == ["a", "b", "m", "z"] && set.count == 4)
        #expect(set.contains("m") && set.contains("a") && set.contains("z"))
        #expect(!set.contains("c") && !set.contains("") && !set.contains("zz"))
        set.remove("b")
        set.remove("absent")
        #expect(set.sorted == ["a", "m", "z"])
        for name in ["a", "m", "z"] { set.remove(name) }
        #expect(set.isEmpty && !set.contains("a"))
    }

    /// Past `arrayLimit` names the set is hashed; reads and changes give the same answers
    /// either way, checked against a `Set` through a seeded sequence of inserts and removes.
    @Test func agreesWithASetAcrossTheArrayLimit() {
        var set = NameSet()
        var reference = Set<String>()
        var rng = SplitMix64(seed: 7)
        var largest = 0
        for step in 0..<2_000 {
            let name = "server-\(rng.next() % 80)"
            // Mostly inserts early on (to cross the limit), then as many removes as inserts.
            if rng.next() % 100 < (step < 300 ? 85 : 50) {
                set.insert(name)
                reference.insert(name)
            } else {
                set.remove(name)
                reference.remove(name)
            }
            largest = max(largest, reference.count)
            #expect(set.count == reference.count)
            #expect(set.contains(name) == reference.contains(name))
        }
        #expect(largest > NameSet.arrayLimit)
        #expect(set.sorted == reference.sorted())
    }

    /// The index answers stay the same when a slot grows past the array limit and shrinks again.
    @Test func snapshotLabelAndFieldLookupsAcrossTheArrayLimit() {
        let n = NameSet.arrayLimit + 8
        let servers = (0..<n).map { i -> KubeObject in
            var o = VT.server("s\(i)", group: "g")
            o.labels = ["team": i % 2 == 0 ? "even" : "odd", "all": "yes"]
            return o
        }
        var s = Snapshot(servers, packed: true)
        let all = servers.map(\.name).sorted()
        #expect(s.list(Kinds.mcpServer, namespace: VT.ns, matching: ["all": "yes"]).map(\.name) == all)
        #expect(s.list(Kinds.mcpServer, namespace: VT.ns, matching: ["all": "yes", "team": "odd"]).map(\.name) == all.filter { (Int($0.dropFirst()) ?? 0) % 2 == 1 })
        #expect(s.list(Kinds.mcpServer, namespace: VT.ns, matching: ["all": "no"]).isEmpty)
        #expect(s.lookup(.groupRef, kind: Kinds.mcpServer, namespace: VT.ns, value: "g").map(\.name) == all)
        for o in servers.dropFirst(4) { s.remove(o.key) }
        let left = servers.prefix(4).map(\.name).sorted()
        #expect(s.list(Kinds.mcpServer, namespace: VT.ns, matching: ["all": "yes"]).map(\.name) == left)
        #expect(s.lookup(.groupRef, namespace: VT.ns, value: "g").map(\.name) == left)
        for o in servers.prefix(4) { s.remove(o.key) }
        #expect(s.list(Kinds.mcpServer, namespace: VT.ns, matching: ["all": "yes"]).isEmpty)
        #expect(s.lookup(.groupRef, kind: Kinds.mcpServer, namespace: VT.ns, value: "g").isEmpty)
    }
}

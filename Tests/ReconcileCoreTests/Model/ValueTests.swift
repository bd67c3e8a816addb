import Testing
@testable import ReconcileCore

@Suite struct ValueTests {
    @Test func mapsKeepOrderButCompareUnordered() {
        let a: Value = ["b": 1, "a": 2]
        let b: Value = ["a": 2, "b": 1]
        #expect(a == b)
        #expect(a.objectValue?.keys == ["b", "a"])
    }

    @Test func largeMapsStayConsistentAfterRemoval() {
        var m = OrderedMap()
        for i in 0..<40 { m["k\(i)"] = .int(Int64(i)) }
        m["k3"] = nil
        #expect(m["k39"] == .int(39))
        #expect(m["k3"] == nil)
        #expect(m.count == 39)
        #expect(m.keys.first == "k0")
    }

    @Test func subsetIgnoresExtraObservedFields() {
        let desired: Value = ["spec": ["replicas": 1, "template": ["labels": ["a": "b"]]]]
        let observed: Value = ["spec": ["replicas": 1, "clusterIP": "10.0.0.1", "template": ["labels": ["a": "b", "x": "y"]]]]
        #expect(desired.isSubset(of: observed))
        #expect(!observed.isSubset(of: desired))
        let changed: Value = ["spec": ["replicas": 2]]
        #expect(!changed.isSubset(of: observed))
        #expect(Diff.differences(desired: changed, observed: observed) == ["spec.replicas: 1 → 2"])
    }

    @Test func pathAccessAndSet() {
        var v: Value = ["spec": ["groupRef": ["name": "g"]]]
        #expect(v[path: "spec.groupRef.name"] == "g")
        v.set(path: ["spec", "groupRef", "name"], to: "h")
        #expect(v[path: "spec.groupRef.name"] == "h")
        v.remove(path: ["spec", "groupRef"])
        #expect(v[path: "spec.groupRef"] == nil)
    }

    @Test func fieldReaderNamesThePath() throws {
        let spec: Value = ["groupRef": ["name": ["x"]]]
        let r = FieldReader(spec, path: "spec")
        #expect(throws: FieldError(path: "spec.groupRef.name", message: "expected a string, got a list")) {
            _ = try r.child("groupRef").optionalString("name")
        }
    }

    @Test func timestampsRoundTrip() {
        #expect(Timestamp.simulationEpoch.rfc3339 == "2026-01-01T00:00:00Z")
        #expect(Timestamp(rfc3339: "2026-01-01T00:00:00Z") == .simulationEpoch)
        #expect(Timestamp(rfc3339: "2026-01-01T01:00:00+01:00") == .simulationEpoch)
        #expect(Timestamp(rfc3339: "2024-02-29T23:59:59.5Z")?.rfc3339 == "2024-02-29T23:59:59Z")
        #expect(Timestamp(rfc3339: "yesterday") == nil)
        #expect(Timestamp(secondsSinceEpoch: 0).rfc3339 == "1970-01-01T00:00:00Z")
        // Edges of the digit-by-digit path (years 0...9999) and the general one outside it.
        #expect(Timestamp(secondsSinceEpoch: -1).rfc3339 == "1969-12-31T23:59:59Z")
        #expect(Timestamp(secondsSinceEpoch: 1_709_251_199).rfc3339 == "2024-02-29T23:59:59Z")
        #expect(Timestamp(secondsSinceEpoch: 253_402_300_799).rfc3339 == "9999-12-31T23:59:59Z")
        #expect(Timestamp(secondsSinceEpoch: 253_402_300_800).rfc3339 == "10000-01-01T00:00:00Z")
        #expect(Timestamp(secondsSinceEpoch: -62_167_219_200).rfc3339 == "0000-01-01T00:00:00Z")
        #expect(Timestamp(secondsSinceEpoch: -61_851_600_001).rfc3339 == "0009-12-31T23:59:59Z")
    }

    @Test func conditionTransitionTimeOnlyChangesOnFlip() {
        let t0 = Timestamp.simulationEpoch
        let t1 = t0.adding(seconds: 60)
        var list = ConditionList()
        list.set("Ready", .false, reason: "NotReady", message: "a", observedGeneration: 1, now: t0)
        list.set("Ready", .false, reason: "NotReady", message: "b", observedGeneration: 2, now: t1)
        #expect(list["Ready"]?.lastTransitionTime == t0.rfc3339)
        #expect(list["Ready"]?.message == "b")
        list.set("Ready", .true, reason: "Ready", message: "c", observedGeneration: 2, now: t1)
        #expect(list["Ready"]?.lastTransitionTime == t1.rfc3339)
    }

    @Test func stringMapsAreSortedByKeyAndFindEveryKey() {
        // More entries than a map searches linearly, so its index is built from the slots too.
        var labels: [String: String] = ["toolhive-name": "s", "app": "mcpserver", "app.kubernetes.io/name": "mcpserver", "Zeta": "z", "é": "e"]
        for i in 0..<20 { labels["k\(i)"] = "v\(i)" }
        guard case .object(let map) = Value.stringMap(labels) else {
            Issue.record("not a map")
            return
        }
        #expect(map.keys == labels.keys.sorted())
        #expect(map.keys.prefix(4) == ["Zeta", "app", "app.kubernetes.io/name", "k0"])
        for (k, v) in labels { #expect(map[k] == .string(v)) }
        #expect(map.count == 25)
        #expect(Value.stringMap([:]) == .object(OrderedMap()))
    }
}

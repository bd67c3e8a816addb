import Testing
@testable import ReconcileCore

/// `PlanBuilder.ensure` given the observed object the caller already read decides exactly as
/// reading it from the snapshot does.
@Suite struct PlanBuilderTests {
    func configMap(_ data: Value) -> KubeObject {
        var o = KubeObject(apiVersion: "v1", kind: "ConfigMap", namespace: "ns", name: "c")
        o.root["data"] = data
        return o
    }

    func actions(_ desired: KubeObject, stored: KubeObject?, passingObserved: Bool) -> [String] {
        let snapshot = Snapshot(stored.map { [$0] } ?? [], packed: true)
        var plan = PlanBuilder(controller: "test", primary: configMap([:]), snapshot: snapshot)
        if passingObserved {
            plan.ensure(desired, observed: snapshot.get(desired.key), why: "test")
        } else {
            plan.ensure(desired, why: "test")
        }
        return plan.actions.map { "\($0.op) \($0.reasons.joined(separator: "; "))" }
    }

    @Test func ensureWithTheObservedObjectDecidesAsReadingIt() {
        let desired = configMap(["a": "1"])
        for stored in [nil, configMap(["a": "1", "b": "2"]), configMap(["a": "2"])] {
            let read = actions(desired, stored: stored, passingObserved: false)
            #expect(actions(desired, stored: stored, passingObserved: true) == read)
        }
        #expect(actions(desired, stored: nil, passingObserved: true).count == 1)
        #expect(actions(desired, stored: configMap(["a": "1", "b": "2"]), passingObserved: true).isEmpty)
        #expect(actions(desired, stored: configMap(["a": "2"]), passingObserved: true).first?.contains("changed data.a") == true)
    }
}

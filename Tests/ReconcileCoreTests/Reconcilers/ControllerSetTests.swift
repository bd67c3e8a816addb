import Testing
@testable import ReconcileCore

/// Behaviour every registered controller shares.
@Suite struct ControllerSetTests {
    @Test func everyControllerIgnoresAPrimaryThatIsGone() {
        let names = ControllerSet.all.reconcilers.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.count == 7)
        for r in ControllerSet.all.reconcilers {
            let key = ObjectKey(r.primaryKind, namespace: "ns", name: "missing")
            let result = r.reconcile(Snapshot(), key: key, env: OperatorEnvironment())
            #expect(result.controller == r.name)
            #expect(result.object == ObjectReference(apiVersion: Kinds.toolhiveAPIVersion, kind: r.primaryKind.kind, namespace: "ns", name: "missing"))
            #expect(result.actions.isEmpty && result.events.isEmpty && result.requeueAfterSeconds == nil, "\(r.name)")
        }
    }
}

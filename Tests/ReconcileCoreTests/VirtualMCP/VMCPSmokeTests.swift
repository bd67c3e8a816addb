import Testing
@testable import ReconcileCore

@Suite struct VMCPSmokeTests {
    @Test func printPlan() {
        let objects = [VT.group(), VT.server("a"), VT.vmcp()]
        let r = VT.reconcile(objects)
        print(JSONWriter.write(r.value(explain: true)))
    }
}

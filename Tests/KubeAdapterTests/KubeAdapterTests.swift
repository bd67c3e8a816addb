import Testing
@testable import KubeAdapter

@Suite struct KubeAdapterTests {
    @Test func fieldManagerIsStable() {
        #expect(KubeAdapter.fieldManager == "toolhive-operator")
    }
}

import Testing
@testable import ReconcileCore

@Suite struct ObjectFingerprintTests {
    func fp(_ v: Value) -> UInt64 { ObjectFingerprint.of(value: v) }

    @Test func keyOrderAndTheRootsVolatileMetadataDoNotCount() {
        let a: Value = ["metadata": ["name": "x", "resourceVersion": "1", "generation": 1], "spec": ["a": 1, "b": "two"]]
        let b: Value = ["spec": ["b": "two", "a": 1], "metadata": ["generation": 7, "resourceVersion": "9", "name": "x"]]
        #expect(fp(a) == fp(b))
        #expect(fp(["status": ["observedGeneration": 1, "phase": "Ready"]]) == fp(["status": ["phase": "Ready", "observedGeneration": 2]]))
    }

    @Test func contentAndNestedMetadataCount() {
        #expect(fp(["spec": ["a": 1]]) != fp(["spec": ["a": 2]]))
        #expect(fp(["metadata": ["name": "x"]]) != fp(["metadata": ["name": "y"]]))
        // Only the root's metadata has volatile keys; a nested `metadata` (a pod template's) counts in full.
        #expect(fp(["spec": ["metadata": ["resourceVersion": "1"]]]) != fp(["spec": ["metadata": ["resourceVersion": "2"]]]))
        #expect(fp([["metadata": ["generation": 1]]]) != fp([["metadata": ["generation": 2]]]))
    }
}

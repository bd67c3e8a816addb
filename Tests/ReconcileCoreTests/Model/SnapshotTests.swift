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

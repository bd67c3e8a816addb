import Testing
@testable import ReconcileCore

@Suite struct BackendDiscoveryTests {
    func discover(_ objects: [KubeObject]) -> BackendDiscoveryResult {
        let s = Snapshot(objects)
        let v = s.list(Kinds.virtualMCPServer).first ?? VT.vmcp()
        guard let spec = try? VirtualMCPServerSpec(v) else { Issue.record("spec"); return BackendDiscoveryResult(groupName: "", groupFound: false, workloads: [], backends: [], authFailures: []) }
        return BackendDiscovery.discover(v, spec: spec, in: s)
    }

    @Test func missingGroupFindsNothing() {
        let d = discover([VT.server("a"), VT.vmcp()])
        #expect(!d.groupFound)
        #expect(d.workloads.isEmpty && d.backends.isEmpty)
    }

    @Test func groupWithoutMembers() {
        let d = discover([VT.group(), VT.server("other", group: "h"), VT.vmcp()])
        #expect(d.groupFound)
        #expect(d.backends.isEmpty)
    }

    @Test func membershipComesFromTheWorkloadsSpecInKindOrder() {
        let proxy = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPRemoteProxy","metadata":{"name":"p"},"spec":{"groupRef":{"name":"g"},"remoteUrl":"https://r","transport":"sse"},"status":{"phase":"Ready","url":"http://p"}}"#)
        let entry = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPServerEntry","metadata":{"name":"e"},"spec":{"groupRef":{"name":"g"},"remoteUrl":"https://e","transport":"streamable-http"},"status":{"phase":"Valid"}}"#)
        let d = discover([VT.group(), VT.server("z"), VT.server("b"), proxy, entry, VT.vmcp()])
        #expect(d.workloads.map(\.name) == ["b", "z", "p", "e"])
        #expect(d.backends.map(\.name) == ["b", "e", "p", "z"])
        #expect(d.routableCount == 4)
        #expect(d.backends.first { $0.name == "p" }?.metadata["workload_type"] == "remote_proxy")
        #expect(d.backends.first { $0.name == "p" }?.metadata["remote_url"] == "https://r")
        #expect(d.backends.first { $0.name == "e" }?.url == "https://e")
    }

    @Test func notReadyMembersAreReportedNotFatal() {
        let d = discover([VT.group(), VT.server("noURL", phase: "Pending", url: false), VT.server("pending", phase: "Pending"), VT.server("failed", phase: "Failed"), VT.vmcp()])
        let byName = Dictionary(uniqueKeysWithValues: d.backends.map { ($0.name, $0.statusValue) })
        #expect(byName["noURL"]?["status"] == "unavailable")
        #expect(byName["noURL"]?["message"] == "Backend has no URL yet (phase: Pending)")
        #expect(byName["pending"]?["status"] == "unknown")
        #expect(byName["failed"]?["status"] == "unavailable")
        #expect(d.routableCount == 0)
    }

    @Test func stdioServerUsesItsProxyMode() {
        let d = discover([VT.group(), VT.server("s", transport: "stdio"), VT.vmcp()])
        #expect(d.backends.first?.transport == "streamable-http")
    }

    @Test func memberWithMissingAuthConfigIsLeftOutFailClosed() {
        let d = discover([VT.group(), VT.server("a", authRef: "gone"), VT.server("b"), VT.vmcp()])
        #expect(d.backends.map(\.name) == ["b"])
        #expect(d.authFailures.map(\.workload) == ["a"])
        #expect(d.authFailures.first?.problem.message == "failed to get MCPExternalAuthConfig gone: not found")
    }

    @Test func discoveredAuthIsReportedWithTypeAndRef() {
        let d = discover([VT.group(), VT.server("a", authRef: "te"), VT.tokenExchange("te"), VT.secret("te-secret", key: "s"), VT.vmcp()])
        #expect(d.backends.first?.authConfigRef == "te")
        #expect(d.backends.first?.authType == "token_exchange")
    }

    @Test func missingSecretDropsTheBackend() {
        let d = discover([VT.group(), VT.server("a", authRef: "te"), VT.tokenExchange("te"), VT.vmcp()])
        #expect(d.backends.isEmpty)
        #expect(d.authFailures.first?.problem.message == "secret te-secret key s not found")
    }

    @Test func inlineModePrecedence() {
        let v = VT.vmcp(spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"outgoingAuth":{"source":"inline","default":{"type":"discovered"},"backends":{"b":{"type":"externalAuthConfigRef","externalAuthConfigRef":{"name":"te2"}}}}"#)
        let d = discover([VT.group(), VT.server("a", authRef: "te"), VT.server("b", authRef: "gone"), VT.server("c"), VT.tokenExchange("te"), VT.tokenExchange("te2", secret: "te-secret"), VT.secret("te-secret", key: "s"), v])
        // a: its own config (nothing overrides it); b: the spec's override beats the broken own one; c: the default.
        #expect(d.backends.map { "\($0.name)=\($0.authConfigRef ?? "-")/\($0.authType ?? "-")" } == ["a=te/token_exchange", "b=te2/token_exchange", "c=-/unauthenticated"])
        #expect(d.authFailures.isEmpty)
    }

    @Test func discoveredModePrefersTheWorkloadsOwnConfig() {
        let v = VT.vmcp(spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"outgoingAuth":{"source":"discovered","backends":{"a":{"type":"discovered"}}}"#)
        let d = discover([VT.group(), VT.server("a", authRef: "te"), VT.tokenExchange("te"), VT.secret("te-secret", key: "s"), v])
        #expect(d.backends.first?.authType == "token_exchange")
    }
}

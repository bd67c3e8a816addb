import Testing
@testable import ReconcileCore

@Suite struct MCPGroupReconcilerTests {
    typealias T = MCPTestObjects
    let r = MCPGroupReconciler()

    func run(_ objects: [KubeObject], key: String = "g") -> ReconcileResult {
        r.reconcile(Snapshot(objects), key: ObjectKey(Kinds.mcpGroup, namespace: T.ns, name: key), env: T.env())
    }

    @Test func emptyGroupGetsFinalizerAndReadyStatusInOnePass() throws {
        let result = run([T.group("g", phase: nil, finalizer: false)])
        #expect(result.summary == ["addFinalizer MCPGroup/g", "patchStatus MCPGroup/g"])
        #expect(result.requeueAfterSeconds == nil)
        let status = try #require(result.statusPatch)
        #expect(status.objectValue?.keys == ["observedGeneration", "phase", "conditions"])
        #expect(status["phase"] == "Ready")
        #expect(status["servers"] == nil && status["serverCount"] == nil)
        let c = try #require(result.condition("MCPServersChecked"))
        #expect(c.status == .true && c.reason == "ListMCPServersCheckSucceeded")
        #expect(c.message == "Successfully listed MCPServers, MCPRemoteProxies, and MCPServerEntries in namespace")
        #expect(c.observedGeneration == 1)
    }

    @Test func membersAreSortedAndLimitedToTheNamespaceAndGroup() throws {
        let objects = [
            T.group("g"),
            T.member("MCPServer", "zeta", group: ["name": "g"]), T.member("MCPServer", "Alpha", group: "g"), T.member("MCPServer", "beta", group: ["name": "g"]),
            T.member("MCPServer", "other-group", group: ["name": "h"]), T.member("MCPServer", "no-group", group: nil),
            T.member("MCPServer", "elsewhere", group: ["name": "g"], ns: "other"), T.member("MCPServer", "empty", group: ["name": ""]),
            T.member("MCPRemoteProxy", "rp1", group: ["name": "g"]), T.member("MCPServerEntry", "e2", group: ["name": "g"]), T.member("MCPServerEntry", "e1", group: ["name": "g"]),
            T.member("VirtualMCPServer", "vmcp", group: ["name": "g"]),
        ]
        let status = try #require(run(objects).statusPatch)
        #expect(status["servers"] == ["Alpha", "beta", "zeta"])
        #expect(status["serverCount"] == 3)
        #expect(status["remoteProxies"] == ["rp1"])
        #expect(status["remoteProxyCount"] == 1)
        #expect(status["entries"] == ["e1", "e2"])
        #expect(status["entryCount"] == 2)
    }

    @Test func twoMembersAndSteadyState() {
        var snapshot = Snapshot([T.group("g", phase: nil, finalizer: false), T.member("MCPServer", "a", group: ["name": "g"]), T.member("MCPServer", "b", group: "g")])
        let key = ObjectKey(Kinds.mcpGroup, namespace: T.ns, name: "g")
        TestAPIServer.apply(r.reconcile(snapshot, key: key, env: T.env()), to: &snapshot)
        #expect(snapshot.get(key)?.status["servers"] == ["a", "b"])
        var later = T.env()
        later.now = later.now.adding(seconds: 300)
        #expect(r.reconcile(snapshot, key: key, env: later).actions.isEmpty)
        // A member leaves: only the status changes, and the condition keeps its transition time.
        snapshot.upsert(T.member("MCPServer", "b", group: nil))
        let next = r.reconcile(snapshot, key: key, env: later)
        #expect(next.summary == ["patchStatus MCPGroup/g"])
        #expect(next.statusPatch?["servers"] == ["a"])
        #expect(next.condition("MCPServersChecked")?.lastTransitionTime == "2026-01-01T00:00:00Z")
    }

    @Test func deletionMarksEveryMemberThenReleasesTheFinalizer() throws {
        var server = T.member("MCPServer", "s", group: ["name": "g"])
        server.status = ["phase": "Ready", "url": "http://x", "conditions": [Condition(type: "Ready", status: .true, reason: "Ready", message: "MCP server is running", observedGeneration: 1, lastTransitionTime: "2025-06-01T00:00:00Z").value]]
        let objects = [
            T.group("g", deleting: true), server, T.member("MCPRemoteProxy", "rp", group: ["name": "g"]), T.member("MCPServerEntry", "e", group: "g"),
            T.member("MCPServer", "unrelated", group: ["name": "h"]),
        ]
        let result = run(objects)
        #expect(result.summary == ["patchStatus MCPServer/s", "patchStatus MCPRemoteProxy/rp", "patchStatus MCPServerEntry/e", "removeFinalizer MCPGroup/g"])
        guard case .patchStatus(_, let status) = result.actions[0].operation else { Issue.record("expected a status patch"); return }
        #expect(status["phase"] == "Ready")
        #expect(status["url"] == "http://x")
        let conditions = ConditionList(status: status)
        #expect(conditions["Ready"]?.lastTransitionTime == "2025-06-01T00:00:00Z")
        let c = try #require(conditions["GroupRefValidated"])
        #expect(c.status == .false && c.reason == "GroupRefNotFound" && c.message == "Referenced MCPGroup is being deleted" && c.observedGeneration == 1)
    }

    @Test func deletionWithoutFinalizerDoesNothing() {
        #expect(run([T.group("g", finalizer: false, deleting: true), T.member("MCPServer", "s", group: ["name": "g"])]).actions.isEmpty)
    }

    @Test func serverAndGroupAgreeWhileTheGroupIsBeingDeleted() {
        var snapshot = Snapshot([T.group("g", deleting: true), T.server("s", spec: ["image": "i", "groupRef": ["name": "g"]])])
        let groupKey = ObjectKey(Kinds.mcpGroup, namespace: T.ns, name: "g")
        TestAPIServer.apply(r.reconcile(snapshot, key: groupKey, env: T.env()), to: &snapshot)
        let serverPass = MCPServerReconciler().reconcile(snapshot, key: ObjectKey(Kinds.mcpServer, namespace: T.ns, name: "s"), env: T.env())
        #expect(serverPass.condition("GroupRefValidated")?.message == "Referenced MCPGroup is being deleted")
    }

    @Test func watchMappingFromMembersToGroups() {
        let a = T.member("MCPServer", "s", group: ["name": "a"])
        let b = T.member("MCPServer", "s", group: ["name": "b"])
        let snapshot = Snapshot([T.group("a"), T.group("b"), b])
        #expect(r.primaries(affectedBy: b, in: snapshot) == [ObjectKey(Kinds.mcpGroup, namespace: T.ns, name: "b")])
        #expect(r.primaries(affectedBy: T.member("MCPRemoteProxy", "rp", group: "a"), in: snapshot) == [ObjectKey(Kinds.mcpGroup, namespace: T.ns, name: "a")])
        #expect(r.primaries(affectedBy: T.member("MCPServerEntry", "e", group: ["name": "missing"]), in: snapshot) == [])
        #expect(r.primaries(affectedBy: T.member("MCPServer", "x", group: ["name": "a"], ns: "other"), in: snapshot) == [])
        #expect(r.primaries(affectedBy: T.member("VirtualMCPServer", "v", group: ["name": "a"]), in: snapshot) == [])
        let moved = WatchMapping.requests(changed: b, previous: a, snapshot: snapshot, controllers: .all, env: T.env())
        #expect(moved.map(\.description) == ["MCPGroup MCPGroup/toolhive-system/a", "MCPGroup MCPGroup/toolhive-system/b", "MCPServer MCPServer/toolhive-system/s"])
    }

    @Test func snapshotOrderDoesNotMatter() {
        let objects = [
            T.group("g"), T.member("MCPServer", "c", group: "g"), T.member("MCPServer", "a", group: ["name": "g"]), T.member("MCPRemoteProxy", "b", group: "g"),
            T.member("MCPServerEntry", "d", group: ["name": "g"]), T.member("MCPServer", "x", group: ["name": "g"], ns: "other"),
        ]
        MCPTestObjects.expectOrderIndependent(objects, seed: 11) { run($0) }
    }

    @Test func missingGroupIsNoop() {
        #expect(run([]).actions.isEmpty)
    }
}

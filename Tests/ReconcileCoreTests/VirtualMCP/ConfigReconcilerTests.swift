import Testing
@testable import ReconcileCore

@Suite struct ConfigReconcilerTests {
    func run(_ r: some Reconciler, _ objects: [KubeObject], _ key: ObjectKey) -> ReconcileResult {
        r.reconcile(Snapshot(objects), key: key, env: OperatorEnvironment())
    }

    // MARK: MCPExternalAuthConfig

    @Test func validAuthConfigGetsFinalizerHashAndValid() throws {
        let c = VT.tokenExchange("te")
        let r = run(MCPExternalAuthConfigReconciler(), [c], c.key)
        #expect(r.actions.first?.op == "addFinalizer")
        let s = try #require(r.statusPatch)
        #expect(s["configHash"] == .string(ConfigHash.of(spec: c.spec)))
        #expect(r.condition("Valid")?.status == .true)
        #expect(s["observedGeneration"] == 1)
        // Steady state: nothing to do.
        #expect(run(MCPExternalAuthConfigReconciler(), VT.apply(r, to: [c]), c.key).actions.isEmpty)
    }

    @Test func hashIgnoresKeyOrder() {
        let a: Value = ["type": "x", "b": ["y": 1, "z": 2]]
        let b: Value = ["b": ["z": 2, "y": 1], "type": "x"]
        #expect(ConfigHash.of(spec: a) == ConfigHash.of(spec: b))
        #expect(ConfigHash.of(spec: a) != ConfigHash.of(spec: ["type": "y"]))
    }

    @Test func typeBlockMismatchIsInvalid() {
        let c = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPExternalAuthConfig","metadata":{"name":"x"},"spec":{"type":"tokenExchange","headerInjection":{"headerName":"h"}}}"#)
        let r = run(MCPExternalAuthConfigReconciler(), [c], c.key)
        #expect(r.condition("Valid")?.message == "headerInjection configuration must be set if and only if type is 'headerInjection'")
        #expect(r.statusPatch?["configHash"] == nil)
        #expect(r.events.map(\.reason) == ["ConfigInvalid"])
        // The snake_case keys of older examples leave required fields unset.
        let old = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPExternalAuthConfig","metadata":{"name":"o"},"spec":{"type":"tokenExchange","tokenExchange":{"token_url":"https://t","audience":"a"}}}"#)
        #expect(MCPExternalAuthConfigSpec.validate(old) == "spec.tokenExchange.tokenUrl is required")
    }

    @Test func deletionBlockedWhileAVMCPReferencesIt() throws {
        var c = VT.tokenExchange("direct")
        c.finalizers = [MCPExternalAuthConfigReconciler.finalizer]
        c.deletionTimestamp = "2026-01-01T00:00:00Z"
        let v = VT.vmcp(spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"outgoingAuth":{"default":{"type":"externalAuthConfigRef","externalAuthConfigRef":{"name":"direct"}}}"#)
        let s = VT.server("s", authRef: "direct")
        let r = run(MCPExternalAuthConfigReconciler(), [c, v, s], c.key)
        let cond = try #require(r.condition("DeletionBlocked"))
        #expect(cond.reason == "ReferencedByWorkloads")
        #expect(cond.message == "Cannot delete: referenced by workloads: [{MCPServer s} {VirtualMCPServer v}]")
        #expect(r.requeueAfterSeconds == 30)
        #expect(r.events.map(\.reason) == ["DeletionBlocked"])
        // Unreferenced: the finalizer goes.
        let free = run(MCPExternalAuthConfigReconciler(), [c], c.key)
        #expect(free.actions.map(\.op) == ["removeFinalizer"])
    }

    @Test func referencerChangesEnqueueTheConfig() {
        let v = VT.vmcp(spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"outgoingAuth":{"backends":{"b":{"type":"externalAuthConfigRef","externalAuthConfigRef":{"name":"x"}}}}"#)
        #expect(MCPExternalAuthConfigReconciler().primaries(affectedBy: v, in: Snapshot()) == [ObjectKey(Kinds.mcpExternalAuthConfig, namespace: "default", name: "x")])
        #expect(MCPExternalAuthConfigReconciler().primaries(affectedBy: VT.group(), in: Snapshot()).isEmpty)
    }

    // MARK: MCPToolConfig

    @Test func toolConfigBlockedByVMCPAggregationRef() throws {
        var tc = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPToolConfig","metadata":{"name":"tc"},"spec":{"toolsFilter":["a"]}}"#)
        let ok = run(MCPToolConfigReconciler(), [tc], tc.key)
        #expect(ok.actions.map(\.op) == ["addFinalizer", "patchStatus"])
        #expect(ok.condition("Valid")?.reason == "ValidationSucceeded")
        tc.finalizers = [MCPToolConfigReconciler.finalizer]
        tc.deletionTimestamp = "2026-01-01T00:00:00Z"
        let v = VT.vmcp(spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"config":{"aggregation":{"tools":[{"workload":"a","toolConfigRef":{"name":"tc"}}]}}"#)
        let blocked = run(MCPToolConfigReconciler(), [tc, v], tc.key)
        #expect(blocked.condition("DeletionBlocked")?.message == "Cannot delete: referenced by workloads: [{VirtualMCPServer v}]")
        #expect(run(MCPToolConfigReconciler(), [tc], tc.key).actions.map(\.op) == ["removeFinalizer"])
    }

    @Test func malformedToolsOverrideIsInvalid() {
        let tc = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPToolConfig","metadata":{"name":"tc"},"spec":{"toolsOverride":{"x":"nope"}}}"#)
        #expect(run(MCPToolConfigReconciler(), [tc], tc.key).condition("Valid")?.message == "spec.toolsOverride.x: expected a map, got a string")
    }

    // MARK: VirtualMCPCompositeToolDefinition

    @Test func definitionStatusValidAndReferencers() throws {
        let def = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"VirtualMCPCompositeToolDefinition","metadata":{"name":"d"},"spec":{"name":"t","description":"x","steps":[{"id":"a","tool":"x"}]}}"#)
        let v2 = VT.vmcp("zeta", spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"config":{"compositeToolRefs":[{"name":"d"}]}"#)
        let v1 = VT.vmcp("alpha", spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"config":{"compositeToolRefs":[{"name":"d"}]}"#)
        let r = run(CompositeToolDefinitionReconciler(), [def, v2, v1], def.key)
        let s = try #require(r.statusPatch)
        #expect(s["validationStatus"] == "Valid")
        #expect(s["validationErrors"] == nil)
        #expect(s["referencingVirtualServers"] == ["alpha", "zeta"])
        #expect(r.condition("WorkflowValidated")?.reason == "ValidationSuccess")
    }

    @Test func definitionInvalidReasons() throws {
        func reason(_ steps: String) -> String? {
            let def = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"VirtualMCPCompositeToolDefinition","metadata":{"name":"d"},"spec":{"name":"t","description":"x","steps":[\#(steps)]}}"#)
            return run(CompositeToolDefinitionReconciler(), [def], def.key).condition("WorkflowValidated")?.reason
        }
        #expect(reason(#"{"id":"a","tool":"x","dependsOn":["b"]},{"id":"b","tool":"x","dependsOn":["a"]}"#) == "DependencyCycle")
        #expect(reason(#"{"id":"a","tool":"x","arguments":{"q":"{{ .x"}}"#) == "TemplateInvalid")
        #expect(reason(#"{"id":"a","tool":"x","dependsOn":["ghost"]}"#) == "ValidationFailed")
        #expect(reason(#"{"id":"a","type":"elicitation","message":"m","schema":{"type":"banana"}}"#) == "SchemaInvalid")
        let def = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"VirtualMCPCompositeToolDefinition","metadata":{"name":"d"},"spec":{"name":"t","description":"x","steps":[{"id":"a","tool":"x","dependsOn":["ghost"]}]}}"#)
        let s = try #require(run(CompositeToolDefinitionReconciler(), [def], def.key).statusPatch)
        #expect(s["validationStatus"] == "Invalid")
        #expect(s["validationErrors"] == [#"spec.steps[0].dependsOn references unknown step "ghost""#])
    }

    @Test func definitionDeletionBlockedByVMCP() {
        var def = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"VirtualMCPCompositeToolDefinition","metadata":{"name":"d"},"spec":{"name":"t","description":"x","steps":[{"id":"a","tool":"x"}]}}"#)
        def.finalizers = [CompositeToolDefinitionReconciler.finalizer]
        def.deletionTimestamp = "2026-01-01T00:00:00Z"
        let v = VT.vmcp(spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"config":{"compositeToolRefs":[{"name":"d"}]}"#)
        let r = run(CompositeToolDefinitionReconciler(), [def, v], def.key)
        #expect(r.condition("DeletionBlocked")?.status == .true)
        #expect(r.requeueAfterSeconds == 30)
        #expect(run(CompositeToolDefinitionReconciler(), [def], def.key).actions.map(\.op) == ["removeFinalizer"])
        #expect(CompositeToolDefinitionReconciler().primaries(affectedBy: v, in: Snapshot()) == [def.key])
    }
}

@Suite struct VMCPRuntimeRuleTests {
    func world(readyReplicas: Int64?) -> [KubeObject] {
        let base = [VT.group(), VT.server("a"), VT.server("b", phase: "Failed"), VT.vmcp()]
        let first = VT.reconcile(base)
        return VT.apply(first, to: base).map { o in
            var n = o
            if o.groupKind == Kinds.deployment, let readyReplicas { n.status = ["readyReplicas": .int(readyReplicas)] }
            return n
        }
    }

    @Test func waitsForReadyReplicas() {
        #expect(VMCPRuntimeRule().changes(in: Snapshot(world(readyReplicas: nil)), env: OperatorEnvironment()).isEmpty)
        #expect(VMCPRuntimeRule().changes(in: Snapshot(world(readyReplicas: 0)), env: OperatorEnvironment()).isEmpty)
    }

    @Test func reportsOnlyRuntimeOwnedFields() throws {
        let objects = world(readyReplicas: 1)
        let changes = VMCPRuntimeRule().changes(in: Snapshot(objects), env: OperatorEnvironment())
        #expect(changes.count == 1)
        guard case .setStatus(let key, let status)? = changes.first else { Issue.record("no status"); return }
        let before = try #require(Snapshot(objects).get(key)?.status)
        #expect(status["backendCount"] == 1)
        #expect(status["discoveredBackends"]?.arrayValue?.map { $0["status"] } == ["ready", "unavailable"])
        #expect(ConditionList(status: status)["BackendsDiscovered"]?.message == "Discovered 2 backends")
        for field in ["phase", "message", "url", "observedGeneration"] { #expect(status[field] == before[field]) }
        #expect(ConditionList(status: status)["Ready"] == ConditionList(status: before)["Ready"])
        // Once applied, the rule is quiet, and the operator derives Degraded from the report.
        var s = Snapshot(objects)
        if var v = s.get(key) { v.status = status; s.upsert(v) }
        #expect(VMCPRuntimeRule().changes(in: s, env: OperatorEnvironment()).isEmpty)
        let r = VirtualMCPServerReconciler().reconcile(s, key: key, env: OperatorEnvironment())
        #expect(r.statusPatch?["phase"] == "Degraded")
        #expect(r.statusPatch?["message"] == "Virtual MCP server is running with 1/2 backends available")
        #expect(r.statusPatch?["discoveredBackends"] == status["discoveredBackends"])
    }

    @Test func silentWhenTheOperatorReports() {
        #expect(VMCPRuntimeRule().changes(in: Snapshot(world(readyReplicas: 1)), env: OperatorEnvironment(vmcpRuntimeReportsStatus: false)).isEmpty)
    }
}

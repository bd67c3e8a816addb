import Testing
@testable import ReconcileCore

@Suite struct VirtualMCPServerReconcilerTests {
    static let base = #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"}"#
    var world: [KubeObject] { [VT.group(), VT.server("a"), VT.vmcp()] }

    @Test func createsEveryOwnedObjectInOrder() throws {
        let r = VT.reconcile(world)
        let applied = r.actions.compactMap { a -> String? in if case .apply(let o) = a.operation { return "\(o.kind)/\(o.name)" }; return nil }
        #expect(applied == ["ServiceAccount/v-vmcp", "Role/v-vmcp", "RoleBinding/v-vmcp", "Secret/v-hmac-secret", "ConfigMap/v-vmcp-config", "Deployment/v", "Service/vmcp-v"])
        #expect(r.events.map(\.reason) == ["HMACSecretCreated", "DeploymentCreated", "ServiceCreated"])
        let svc = try #require(r.applied("Service", "vmcp-v"))
        #expect(svc.spec["type"] == "ClusterIP")
        #expect(svc.spec["sessionAffinity"] == "ClientIP")
        #expect(svc.spec["ports"] == [["name": "http", "port": 4483, "targetPort": 4483, "protocol": "TCP"]])
        let status = try #require(r.statusPatch)
        #expect(status["url"] == "http://vmcp-v.default.svc.cluster.local:4483")
        #expect(status["phase"] == "Pending")
        #expect(status["message"] == "No pods found for Virtual MCP server")
        #expect(ConditionList(status: status).items.allSatisfy { $0.observedGeneration == 1 })
        #expect(r.requeueAfterSeconds == 30)
    }

    @Test func loadBalancerService() throws {
        let r = VT.reconcile([VT.group(), VT.vmcp(spec: Self.base + #","serviceType":"LoadBalancer","sessionAffinity":"None""#)])
        let svc = try #require(r.applied("Service", "vmcp-v"))
        #expect(svc.spec["type"] == "LoadBalancer")
        #expect(svc.spec["sessionAffinity"] == "None")
        #expect(r.statusPatch?["url"] == "http://vmcp-v.default.svc.cluster.local:4483")
    }

    @Test func deploymentCarriesChecksumEnvOrderAndSecurity() throws {
        let spec = Self.base + #","outgoingAuth":{"source":"discovered"},"sessionStorage":{"provider":"redis","address":"redis:6379","passwordRef":{"name":"redis","key":"pw"}},"config":{"operational":{"logLevel":"debug"}}"#
        let r = VT.reconcile([VT.group(), VT.server("a", authRef: "te"), VT.tokenExchange("te"), VT.vmcp(spec: spec)])
        let d = try #require(r.applied("Deployment", "v"))
        let cm = try #require(r.applied("ConfigMap", "v-vmcp-config"))
        #expect(d[path: "spec.template.metadata.annotations"]?["toolhive.stacklok.dev/runconfig-checksum"] == cm.annotations["toolhive.stacklok.dev/content-checksum"].map(Value.string))
        let c = try #require(d[path: "spec.template.spec.containers"]?.arrayValue?.first)
        #expect(c["env"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == [
            "VMCP_NAME", "VMCP_NAMESPACE", "TOOLHIVE_TOKEN_EXCHANGE_CLIENT_SECRET_TE", "VMCP_SESSION_HMAC_SECRET", "THV_SESSION_REDIS_PASSWORD",
            "XDG_CONFIG_HOME", "HOME", "TOOLHIVE_RUNTIME", "UNSTRUCTURED_LOGS",
        ])
        #expect(c["args"] == ["serve", "--config=/etc/vmcp-config/config.yaml", "--host=0.0.0.0", "--port=4483", "--debug"])
        #expect(c[path: "securityContext.readOnlyRootFilesystem"] == true)
        #expect(d[path: "spec.template.spec.serviceAccountName"] == "v-vmcp")
        #expect(d[path: "spec.replicas"] == nil)
    }

    @Test func steadyStateWritesNothing() {
        let first = VT.reconcile(world)
        let after = VT.apply(first, to: world)
        let second = VT.reconcile(after)
        #expect(second.actions.isEmpty)
        #expect(second.events.isEmpty)
        #expect(second.requeueAfterSeconds == 30)  // not Ready yet: re-checked on the status interval
    }

    @Test func configChangeRollsThePods() throws {
        let first = VT.reconcile(world)
        var after = VT.apply(first, to: world)
        let oldChecksum = try #require(first.applied("Deployment", "v")?[path: "spec.template.metadata.annotations"])
        after = after.map { o in
            guard o.groupKind == Kinds.virtualMCPServer else { return o }
            var n = o
            n.spec = (try? JSONReader.parse("{" + Self.base + #","config":{"aggregation":{"conflictResolution":"manual"}}}"#)) ?? .null
            n.generation = 2
            return n
        }
        let second = VT.reconcile(after)
        let d = try #require(second.applied("Deployment", "v"))
        #expect(d[path: "spec.template.metadata.annotations"] != oldChecksum)
        #expect(second.events.map(\.reason) == ["DeploymentUpdated"])
        #expect(second.applied("Service", "vmcp-v") == nil)
        #expect(second.applied("Secret", "v-hmac-secret") == nil)
    }

    @Test func missingGroupIsAConditionAndASlowRecheck() throws {
        let r = VT.reconcile([VT.vmcp()])
        #expect(r.actions.count == 1)
        let s = try #require(r.statusPatch)
        #expect(s["phase"] == "Failed")
        #expect(s["message"] == "Referenced MCPGroup g not found")
        #expect(r.condition("GroupRefValidated")?.reason == "GroupRefNotFound")
        #expect(r.requeueAfterSeconds == 30)
    }

    @Test func groupNotReadyIsPending() {
        let r = VT.reconcile([VT.group(ready: false), VT.vmcp()])
        #expect(r.statusPatch?["phase"] == "Pending")
        #expect(r.statusPatch?["message"] == "Referenced MCPGroup g is not ready (phase: )")
        #expect(r.condition("GroupRefValidated")?.reason == "GroupRefNotReady")
    }

    @Test func requeueFollowsStatusReportingInterval() {
        let r = VT.reconcile([VT.vmcp(spec: Self.base + #","config":{"operational":{"failureHandling":{"statusReportingInterval":"1m"}}}"#)])
        #expect(r.requeueAfterSeconds == 60)
    }

    @Test func validationFailureLeavesPhaseAlone() {
        var v = VT.vmcp(spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"outgoingAuth":{"backends":{"x":{"type":"bogus"}}}"#)
        v.status = ["phase": "Ready", "message": "was fine"]
        let r = VT.reconcile([VT.group(), v])
        #expect(r.statusPatch?["phase"] == "Ready")
        #expect(r.condition("Valid")?.message == "spec.outgoingAuth.backends[x].type must be one of: discovered, externalAuthConfigRef")
        #expect(r.requeueAfterSeconds == nil)
        #expect(r.actions.count == 1)
    }

    @Test func aNewObjectStoppedEarlyIsPending() {
        let r = VT.reconcile([VT.group(), VT.vmcp(spec: Self.base + #","outgoingAuth":{"backends":{"x":{}}}"#)])
        #expect(r.statusPatch?["phase"] == "Pending")
        #expect(r.condition("Valid")?.message == "spec.outgoingAuth.backends[x].type is required")
    }

    @Test func badFieldTypeNamesThePath() {
        let r = VT.reconcile([VT.group(), VT.vmcp(spec: Self.base + #","serviceType":"Mesh""#)])
        #expect(r.condition("Valid")?.message == #"spec.serviceType: unsupported value "Mesh": must be one of "ClusterIP", "NodePort", "LoadBalancer""#)
    }

    @Test func invalidPodTemplateSpecBlocksTheDeployment() {
        let r = VT.reconcile([VT.group(), VT.vmcp(spec: Self.base + #","podTemplateSpec":{"spec":{"containers":"vmcp"}}"#)])
        #expect(r.applied("Deployment", "v") == nil)
        #expect(r.statusPatch?["phase"] == "Failed")
        #expect(r.condition("PodTemplateSpecValid")?.reason == "InvalidPodTemplateSpec")
        #expect(r.events.map(\.reason) == ["InvalidPodTemplateSpec"])
    }

    @Test func podTemplateSpecIsMergedByContainerName() throws {
        let r = VT.reconcile([VT.group(), VT.vmcp(spec: Self.base + #","podTemplateSpec":{"spec":{"containers":[{"name":"vmcp","resources":{"limits":{"memory":"1Gi"}},"env":[{"name":"EXTRA","value":"1"}]}],"nodeSelector":{"pool":"a"}}}"#)])
        let d = try #require(r.applied("Deployment", "v"))
        let c = try #require(d[path: "spec.template.spec.containers"]?.arrayValue)
        #expect(c.count == 1)
        #expect(c.first?[path: "resources.limits.memory"] == "1Gi")
        #expect(c.first?[path: "resources.requests.cpu"] == "100m")
        #expect(c.first?["env"]?.arrayValue?.last == EnvVar.plain("EXTRA", "1"))
        #expect(d[path: "spec.template.spec.nodeSelector"] == ["pool": "a"])
        #expect(d.annotations["toolhive.stacklok.io/podtemplatespec-hash"]?.count == 64)
    }

    @Test func compositeRefMissingOrInvalid() {
        let spec = Self.base + #","config":{"compositeToolRefs":[{"name":"d"}]}"#
        let missing = VT.reconcile([VT.group(), VT.vmcp(spec: spec)])
        #expect(missing.condition("CompositeToolRefsValidated")?.reason == "CompositeToolRefNotFound")
        #expect(missing.statusPatch?["phase"] == "Failed")
        let bad = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"VirtualMCPCompositeToolDefinition","metadata":{"name":"d"},"spec":{"name":"t","description":"x","steps":[{"id":"a","tool":"x","dependsOn":["a"]}]}}"#)
        let invalid = VT.reconcile([VT.group(), bad, VT.vmcp(spec: spec)])
        #expect(invalid.condition("CompositeToolRefsValidated")?.message
            == #"Referenced VirtualMCPCompositeToolDefinition d is invalid: spec.steps: dependency cycle detected involving step "a""#)
        #expect(invalid.requeueAfterSeconds == 30)
    }

    @Test func hmacSecretIsValidatedNeverReplaced() {
        let v = VT.vmcp()
        var secret = VT.secret("v-hmac-secret", key: "hmac-secret")
        secret.ownerReferences = [OwnerReference(controllerOf: v)]
        let r = VT.reconcile([VT.group(), secret, v])
        #expect(r.applied("Secret", "v-hmac-secret") == nil)
        #expect(r.events.map(\.reason) == ["HMACSecretValidationFailed"])
        #expect(r.applied("Deployment", "v") == nil)
    }

    @Test func generatedHMACSecretValidates() throws {
        let v = VT.vmcp()
        let r = VT.reconcile([VT.group(), v])
        var s = try #require(r.applied("Secret", "v-hmac-secret"))
        s.uid = "x"
        #expect(VMCPDeploymentBuilder.hmacSecretProblem(s, owner: v) == nil)
        // Same seed, same bytes: output is reproducible.
        #expect(VT.reconcile([VT.group(), v]).applied("Secret", "v-hmac-secret") == r.applied("Secret", "v-hmac-secret"))
    }

    @Test func deletionDoesNothing() {
        var v = VT.vmcp()
        v.deletionTimestamp = "2026-01-01T00:00:00Z"
        let r = VT.reconcile([VT.group(), v])
        #expect(r.isNoop)
        #expect(r.requeueAfterSeconds == nil)
    }

    @Test func userServiceAccountSuppressesRBAC() throws {
        let r = VT.reconcile([VT.group(), VT.vmcp(spec: Self.base + #","serviceAccount":"mine""#)])
        #expect(r.applied("Role", "v-vmcp") == nil)
        #expect(r.applied("Deployment", "v")?[path: "spec.template.spec.serviceAccountName"] == "mine")
    }

    @Test func inlineSourceGetsTheNarrowRole() throws {
        let r = VT.reconcile([VT.group(), VT.server("a"), VT.vmcp(spec: Self.base + #","outgoingAuth":{"source":"inline"}"#)])
        let role = try #require(r.applied("Role", "v-vmcp"))
        #expect(role.root["rules"]?.arrayValue?.count == 2)
    }

    /// Objects given in any order produce byte-identical results.
    @Test func outputIsIndependentOfInputOrder() {
        let objects = [VT.group(), VT.server("a", authRef: "te"), VT.server("b"), VT.server("c", phase: "Failed"), VT.tokenExchange("te"),
            VT.secret("te-secret", key: "s"), VT.vmcp(spec: Self.base + #","outgoingAuth":{"source":"inline"}"#)]
        MCPTestObjects.expectOrderIndependent(objects, seed: 7) { VT.reconcile($0) }
    }

    // MARK: the two writers

    func readyWorld(backends: Value?, env: OperatorEnvironment = OperatorEnvironment()) -> (ReconcileResult, [KubeObject]) {
        let first = VT.reconcile(world, env: env)
        var objects = VT.apply(first, to: world)
        objects = objects.map { o in
            var n = o
            if o.groupKind == Kinds.deployment { n.status = ["readyReplicas": 1, "replicas": 1] }
            if o.groupKind == Kinds.virtualMCPServer, let backends {
                var st = o.status.objectValue ?? OrderedMap()
                st["discoveredBackends"] = backends
                st["backendCount"] = 0
                var cl = ConditionList(status: o.status)
                cl.set("BackendsDiscovered", .true, reason: "BackendsDiscovered", message: "Discovered 1 backends", now: .simulationEpoch)
                st["conditions"] = cl.value
                n.status = .object(st)
            }
            return n
        }
        return (VT.reconcile(objects, env: env), objects)
    }

    @Test func operatorCopiesRuntimeFieldsThroughAndDerivesPhaseFromThem() throws {
        let (r, objects) = readyWorld(backends: [["name": "a", "status": "unavailable"]])
        let s = try #require(r.statusPatch)
        #expect(s["phase"] == "Degraded")
        #expect(s["message"] == "Virtual MCP server is running but all 1 backends are unhealthy")
        #expect(s["discoveredBackends"] == [["name": "a", "status": "unavailable"]])
        #expect(s["backendCount"] == 0)
        #expect(ConditionList(status: s)["BackendsDiscovered"]?.message == "Discovered 1 backends")
        #expect(r.condition("Ready")?.reason == "BackendsUnavailable")
        // And the runtime's fields are never rewritten by the operator on the next pass.
        let again = VT.reconcile(VT.apply(r, to: objects))
        #expect(again.actions.isEmpty)
    }

    @Test func readyWithoutReportedBackends() throws {
        let (r, _) = readyWorld(backends: nil)
        #expect(r.statusPatch?["phase"] == "Ready")
        #expect(r.condition("Ready")?.reason == "DeploymentReady")
        #expect(r.requeueAfterSeconds == nil)
    }

    @Test func withoutARuntimeTheOperatorReportsBackendsItself() throws {
        let env = OperatorEnvironment(vmcpRuntimeReportsStatus: false)
        let (r, _) = readyWorld(backends: nil, env: env)
        let s = try #require(r.statusPatch)
        #expect(s["backendCount"] == 1)
        #expect(s["discoveredBackends"]?.arrayValue?.first?["status"] == "ready")
        #expect(ConditionList(status: s)["BackendsDiscovered"]?.reason == "BackendsDiscovered")
        #expect(s["phase"] == "Ready")
    }

    // MARK: watch mapping

    @Test func watchMappingEnqueuesExactlyTheDependents() {
        let tc = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPToolConfig","metadata":{"name":"tc"},"spec":{}}"#)
        let def = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"VirtualMCPCompositeToolDefinition","metadata":{"name":"d"},"spec":{}}"#)
        let inline = VT.tokenExchange("direct")
        let viaMember = VT.tokenExchange("member-auth")
        let user = VT.vmcp("user", spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"outgoingAuth":{"backends":{"x":{"type":"externalAuthConfigRef","externalAuthConfigRef":{"name":"direct"}}}},"config":{"aggregation":{"tools":[{"workload":"a","toolConfigRef":{"name":"tc"}}]},"compositeToolRefs":[{"name":"d"}]}"#)
        let other = VT.vmcp("other", spec: #""groupRef":{"name":"h"},"incomingAuth":{"type":"anonymous"}"#)
        let objects = [VT.group(), VT.group("h"), VT.server("a", authRef: "member-auth"), VT.server("b", group: "h"), tc, def, inline, viaMember, user, other]
        let s = Snapshot(objects)
        let rec = VirtualMCPServerReconciler()
        let userKey = [user.key]
        #expect(rec.primaries(affectedBy: VT.group(), in: s) == userKey)
        #expect(rec.primaries(affectedBy: VT.server("a"), in: s) == userKey)
        #expect(rec.primaries(affectedBy: VT.server("b", group: "h"), in: s) == [other.key])
        #expect(rec.primaries(affectedBy: tc, in: s) == userKey)
        #expect(rec.primaries(affectedBy: def, in: s) == userKey)
        #expect(rec.primaries(affectedBy: inline, in: s) == userKey)
        #expect(rec.primaries(affectedBy: viaMember, in: s) == userKey)
        #expect(rec.primaries(affectedBy: VT.secret("te-secret", key: "s"), in: s) == userKey)
        #expect(rec.primaries(affectedBy: VT.tokenExchange("unused"), in: s).isEmpty)
        #expect(rec.primaries(affectedBy: VT.secret("unrelated", key: "k"), in: s).isEmpty)
        // A server moving between groups enqueues both groups' vMCPs (old and new are both mapped).
        let moved = WatchMapping.requests(changed: VT.server("a", group: "h"), previous: VT.server("a"), snapshot: s, controllers: ControllerSet([rec]), env: OperatorEnvironment())
        #expect(moved.map(\.key) == [other.key, user.key].sorted())
    }

    /// Secrets and ConfigMaps are mapped through indexes; every route `vmcpReads` checks must still
    /// find its vMCP, and nothing else.
    @Test func watchMappingFindsEveryReaderOfASecretOrConfigMap() {
        let pw = VT.vmcp("pw", spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"sessionStorage":{"provider":"redis","passwordRef":{"name":"redis-pw","key":"p"}}"#)
        let oidc = VT.vmcp("oidc", spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"oidc","oidcConfigRef":{"name":"o"}}"#)
        let oidcConfig = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPOIDCConfig","metadata":{"name":"o"},"spec":{"type":"inline","inline":{"issuer":"https://idp","clientSecretRef":{"name":"client-secret","key":"s"}}}}"#)
        let authz = VT.vmcp("authz", spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous","authzConfig":{"type":"configMap","configMap":{"name":"authz-cm"}}}"#)
        let authzInline = VT.vmcp("authz-inline", spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous","authzConfig":{"type":"inline","configMap":{"name":"authz-cm"}}}"#)
        let viaMember = VT.vmcp("member", spec: #""groupRef":{"name":"h"},"incomingAuth":{"type":"anonymous"}"#)
        let direct = VT.vmcp("direct", spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"outgoingAuth":{"default":{"type":"externalAuthConfigRef","externalAuthConfigRef":{"name":"te"}}}"#)
        // Without a group a vMCP's pass stops before it reads external auth Secrets.
        let noGroup = VT.vmcp("nogroup", spec: #""incomingAuth":{"type":"anonymous"},"outgoingAuth":{"default":{"type":"externalAuthConfigRef","externalAuthConfigRef":{"name":"te"}}}"#)
        let cm = VT.obj(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"authz-cm"},"data":{}}"#)
        let otherCM = VT.obj(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"other"},"data":{}}"#)
        let objects = [VT.group(), VT.group("h"), VT.server("a", group: "h", authRef: "te"), VT.tokenExchange("te"), oidcConfig, cm, pw, oidc, authz, authzInline, viaMember, direct, noGroup]
        let s = Snapshot(objects)
        let rec = VirtualMCPServerReconciler()
        #expect(rec.primaries(affectedBy: VT.secret("redis-pw", key: "p"), in: s) == [pw.key])
        #expect(rec.primaries(affectedBy: VT.secret("client-secret", key: "s"), in: s) == [oidc.key])
        #expect(rec.primaries(affectedBy: oidcConfig, in: s) == [oidc.key])
        #expect(rec.primaries(affectedBy: VT.secret("te-secret", key: "s"), in: s) == [direct.key, viaMember.key].sorted())
        #expect(rec.primaries(affectedBy: VT.secret("unrelated", key: "s"), in: s).isEmpty)
        #expect(rec.primaries(affectedBy: cm, in: s) == [authz.key])
        #expect(rec.primaries(affectedBy: otherCM, in: s).isEmpty)
    }
}

@Suite struct VMCPServerEntryTests {
    @Test func entryHeaderForwardAndCABundle() throws {
        let entry = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPServerEntry","metadata":{"name":"ext-api"},"spec":{"groupRef":{"name":"g"},"remoteUrl":"https://api.example.com/mcp","transport":"streamable-http","caBundleRef":{"configMapRef":{"name":"ca"}},"headerForward":{"addPlaintextHeaders":{"X-Tenant":"t1"},"addHeadersFromSecret":[{"headerName":"X-Api-Key","valueSecretRef":{"name":"k","key":"v"}}]}},"status":{"phase":"Valid"}}"#)
        let ca = VT.obj(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ca"},"data":{"ca.crt":"PEM"}}"#)
        let r = VT.reconcile([VT.group(), entry, ca, VT.vmcp()])
        let d = try #require(r.applied("Deployment", "v"))
        let c = try #require(d[path: "spec.template.spec.containers"]?.arrayValue?.first)
        let env = c["env"]?.arrayValue ?? []
        #expect(env.compactMap { $0["name"]?.stringValue }.prefix(4) == ["VMCP_NAME", "VMCP_NAMESPACE", "TOOLHIVE_HEADER_FORWARD_EXT_API", "TOOLHIVE_SECRET_HEADER_FORWARD_X_API_KEY_EXT_API"])
        #expect(env[2]["value"] == #"{"addHeadersFromSecret":{"X-Api-Key":"HEADER_FORWARD_X_API_KEY_EXT_API"},"addPlaintextHeaders":{"X-Tenant":"t1"}}"#)
        #expect(env.last == EnvVar.plain("TOOLHIVE_SECRETS_PROVIDER", "environment"))
        #expect(d[path: "spec.template.spec.volumes"]?.arrayValue?.last == ["name": "ca-bundle-ext-api", "configMap": ["name": "ca", "items": [["key": "ca.crt", "path": "ca.crt"]]]])
        #expect(c["volumeMounts"]?.arrayValue?.last == ["name": "ca-bundle-ext-api", "mountPath": "/etc/toolhive/ca-bundles/ext-api", "readOnly": true])
        #expect(VMCPDeploymentBuilder.entryCAVolumeName(String(repeating: "x", count: 60)).count <= 63)
    }
}

@Suite struct VMCPPodMappingTests {
    @Test func podsOfTheVMCPEnqueueIt() {
        let v = VT.vmcp()
        let pod = VT.obj(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"v-1","labels":{"app":"virtualmcpserver","toolhive-name":"v"}}}"#)
        let other = VT.obj(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x-1","labels":{"app":"mcpserver","toolhive-name":"v"}}}"#)
        let s = Snapshot([v, pod, other])
        #expect(VirtualMCPServerReconciler().primaries(affectedBy: pod, in: s) == [v.key])
        #expect(VirtualMCPServerReconciler().primaries(affectedBy: other, in: s).isEmpty)
    }
}

import Testing
@testable import ReconcileCore

@Suite struct VMCPConfigGeneratorTests {
    static func config(_ spec: String, extra: [KubeObject] = [], name: String = "v") -> Value? {
        VT.config(VT.reconcile([VT.group(), VT.server("a")] + extra + [VT.vmcp(name, spec: spec)]), name: name)
    }
    static let base = #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"}"#

    @Test func workedExampleOfTheSpec() throws {
        let c = try #require(Self.config(Self.base, name: "my-vmcp"))
        let expected: Value = [
            "name": "my-vmcp", "groupRef": "g", "incomingAuth": ["type": "anonymous"], "outgoingAuth": ["source": "discovered"],
            "aggregation": ["conflictResolution": "prefix", "conflictResolutionConfig": ["prefixFormat": "{workload}_"]],
            "operational": [
                "timeouts": ["default": "30s"],
                "failureHandling": [
                    "healthCheckInterval": "30s", "unhealthyThreshold": 3, "statusReportingInterval": "30s", "partialFailureMode": "fail",
                    "circuitBreaker": ["failureThreshold": 5, "timeout": "1m0s"],
                ],
            ],
        ]
        #expect(c == expected)
        #expect(c.objectValue?.keys == ["name", "groupRef", "incomingAuth", "outgoingAuth", "aggregation", "operational"])
    }

    @Test func conflictResolutionStrategies() throws {
        let prefix = try #require(Self.config(Self.base + #","config":{"aggregation":{"conflictResolution":"prefix","conflictResolutionConfig":{"prefixFormat":"{workload}__"}}}"#))
        #expect(prefix[path: "aggregation.conflictResolutionConfig"] == ["prefixFormat": "{workload}__"])
        let priority = try #require(Self.config(Self.base + #","config":{"aggregation":{"conflictResolution":"priority","conflictResolutionConfig":{"priorityOrder":["b","a"]}}}"#))
        #expect(priority[path: "aggregation"] == ["conflictResolution": "priority", "conflictResolutionConfig": ["prefixFormat": "{workload}_", "priorityOrder": ["b", "a"]]])
        let manual = try #require(Self.config(Self.base + #","config":{"aggregation":{"conflictResolution":"manual","tools":[{"workload":"a","filter":["echo"]}]}}"#))
        #expect(manual[path: "aggregation"] == ["conflictResolution": "manual", "conflictResolutionConfig": [:], "tools": [["workload": "a", "filter": ["echo"]]]])
    }

    @Test func toolFiltersAndOverridesFromMCPToolConfig() throws {
        let tc = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPToolConfig","metadata":{"name":"tc"},"spec":{"toolsFilter":["x","y"],"toolsOverride":{"x":{"name":"renamed-x"},"y":{"description":"from config"}}}}"#)
        let c = try #require(Self.config(Self.base + #","config":{"aggregation":{"tools":[{"workload":"a","toolConfigRef":{"name":"tc"},"overrides":{"y":{"description":"inline wins"}}}]}}"#, extra: [tc]))
        #expect(c[path: "aggregation.tools"] == [["workload": "a", "filter": ["x", "y"], "overrides": ["x": ["name": "renamed-x"], "y": ["description": "inline wins"]]]])
        // An inline filter beats the config's.
        let c2 = try #require(Self.config(Self.base + #","config":{"aggregation":{"tools":[{"workload":"a","filter":["only"],"toolConfigRef":{"name":"tc"}}]}}"#, extra: [tc]))
        #expect(c2[path: "aggregation.tools"]?.arrayValue?.first?["filter"] == ["only"])
    }

    @Test func missingToolConfigBlocksTheConfigMap() {
        let r = VT.reconcile([VT.group(), VT.vmcp(spec: Self.base + #","config":{"aggregation":{"tools":[{"workload":"a","toolConfigRef":{"name":"nope"}}]}}"#)])
        #expect(r.applied("ConfigMap", "v-vmcp-config") == nil)
        #expect(r.applied("Deployment", "v") == nil)
        #expect(r.condition(ConditionType.ready)?.reason == "ConfigurationFailed")
        #expect(r.statusPatch?["message"] == #"Failed to build configuration: MCPToolConfig resolution failed for "nope": MCPToolConfig nope not found"#)
        #expect(r.requeueAfterSeconds == 30)
    }

    @Test func inlineAndReferencedCompositeTools() throws {
        let def = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"VirtualMCPCompositeToolDefinition","metadata":{"name":"d"},"spec":{"name":"ref_tool","description":"r","failureMode":"abort","steps":[{"id":"s","tool":"x"}]}}"#)
        let c = try #require(Self.config(Self.base + #","config":{"compositeTools":[{"name":"inline_tool","description":"i","steps":[{"id":"s","tool":"y"}]}],"compositeToolRefs":[{"name":"d"}]}"#, extra: [def]))
        #expect(c["compositeTools"]?.arrayValue?.map { $0["name"] } == ["inline_tool", "ref_tool"])
        #expect(c["compositeTools"]?.arrayValue?.last?["failureMode"] == nil)
        #expect(c["compositeToolRefs"] == [["name": "d"]])
    }

    @Test func duplicateCompositeNameAcrossInlineAndRef() {
        let def = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"VirtualMCPCompositeToolDefinition","metadata":{"name":"d"},"spec":{"name":"same","description":"r","steps":[{"id":"s","tool":"x"}]}}"#)
        let r = VT.reconcile([VT.group(), def, VT.vmcp(spec: Self.base + #","config":{"compositeTools":[{"name":"same","description":"i","steps":[{"id":"s","tool":"y"}]}],"compositeToolRefs":[{"name":"d"}]}"#)])
        #expect(r.statusPatch?["message"] == #"Failed to build configuration: invalid composite tools: duplicate composite tool name: "same""#)
    }

    @Test func discoveredOutgoingAuthWithOverrides() throws {
        let spec = Self.base + #","outgoingAuth":{"source":"discovered","default":{"type":"discovered"},"backends":{"a":{"type":"externalAuthConfigRef","externalAuthConfigRef":{"name":"te"}}}}"#
        let c = try #require(Self.config(spec, extra: [VT.tokenExchange("te")]))
        #expect(c["outgoingAuth"] == [
            "source": "discovered", "default": ["type": "unauthenticated"],
            "backends": ["a": ["type": "token_exchange", "tokenExchange": [
                "tokenUrl": "https://idp/token", "clientId": "c", "clientSecretEnv": "TOOLHIVE_TOKEN_EXCHANGE_CLIENT_SECRET_TE", "audience": "aud"]]],
        ])
        #expect(c["backends"] == nil)
    }

    @Test func inlineOutgoingAuthWritesStaticBackends() throws {
        let spec = Self.base + #","outgoingAuth":{"source":"inline","default":{"type":"discovered"}}"#
        let c = try #require(Self.config(spec))
        #expect(c["outgoingAuth"] == ["source": "inline", "default": ["type": "discovered"], "backends": [:]])
        let backends = try #require(c["backends"]?.arrayValue)
        #expect(backends.count == 1)
        #expect(backends.first?["url"] == "http://mcp-a-proxy.default.svc.cluster.local:8080/mcp")
        #expect(backends.first?["transport"] == "streamable-http")
        #expect(backends.first?[path: "metadata.group"] == "g")
        #expect(backends.first?[path: "metadata.workload_type"] == "mcp_server")
    }

    /// Spec §4.5: a static backend is dropped only for a failed auth strategy, an empty URL or an
    /// unknown transport. An MCPServerEntry that is not Valid yet, or whose CA bundle ConfigMap is
    /// missing, is still written (with the path the Deployment mounts the bundle at); the runtime
    /// status still reports it unavailable.
    @Test func staticBackendsKeepEntriesThatAreNotReadyYet() throws {
        let entry = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPServerEntry","metadata":{"name":"ext"},"spec":{"groupRef":{"name":"g"},"remoteUrl":"https://api.example.com/mcp","transport":"streamable-http","caBundleRef":{"configMapRef":{"name":"missing-ca","key":"root.pem"}}},"status":{"phase":"Pending"}}"#)
        let spec = Self.base + #","outgoingAuth":{"source":"inline","default":{"type":"discovered"}}"#
        let c = try #require(Self.config(spec, extra: [entry]))
        let backends = try #require(c["backends"]?.arrayValue)
        #expect(backends.compactMap { $0["name"]?.stringValue } == ["a", "ext"])
        #expect(backends.last?["url"] == "https://api.example.com/mcp")
        #expect(backends.last?["caBundlePath"] == "/etc/toolhive/ca-bundles/ext/root.pem")
        let discovery = BackendDiscovery.discover(VT.vmcp(spec: spec), spec: try VirtualMCPServerSpec(VT.vmcp(spec: spec)), in: Snapshot([VT.group(), VT.server("a"), entry]))
        #expect(discovery.backends.last?.unreachableReason == "MCPServerEntry is not valid (phase: Pending)")
    }

    @Test func inlineModeWithoutBackendsFails() {
        let r = VT.reconcile([VT.group(), VT.vmcp(spec: Self.base + #","outgoingAuth":{"source":"inline"}"#)])
        #expect(r.statusPatch?["message"] == "Failed to build configuration: static mode requires at least one backend with valid transport ([sse streamable-http]), but none were discovered in group g")
    }

    @Test func discoveredMemberAuthInInlineModeFeedsBackendsAndConditions() throws {
        let spec = Self.base + #","outgoingAuth":{"source":"inline"}"#
        let objects = [VT.group(), VT.server("a", authRef: "te"), VT.server("b", authRef: "missing"), VT.tokenExchange("te"), VT.secret("te-secret", key: "s"), VT.vmcp(spec: spec)]
        let r = VT.reconcile(objects)
        let c = try #require(VT.config(r))
        #expect(c[path: "outgoingAuth.backends"]?.objectValue?.keys == ["a"])
        #expect(r.condition("DiscoveredAuthConfig-a")?.status == .true)
        let failed = try #require(r.condition("DiscoveredAuthConfig-b"))
        #expect(failed.status == .false)
        #expect(failed.reason == "ConversionFailed")
        #expect(failed.message == "Failed to convert discovered auth config: failed to get MCPExternalAuthConfig missing: not found")
    }

    @Test func operationalDefaultsFillOnlyAbsentFields() throws {
        let c = try #require(Self.config(Self.base + #","config":{"operational":{"logLevel":"debug","timeouts":{"default":"5m","perWorkload":{"b":"90s"}},"failureHandling":{"healthCheckInterval":"10s","circuitBreaker":{"enabled":true}}}}"#))
        #expect(c["operational"] == [
            "logLevel": "debug", "timeouts": ["default": "5m0s", "perWorkload": ["b": "1m30s"]],
            "failureHandling": ["healthCheckInterval": "10s", "unhealthyThreshold": 3, "healthCheckTimeout": "10s", "statusReportingInterval": "30s",
                "partialFailureMode": "fail", "circuitBreaker": ["enabled": true, "failureThreshold": 5, "timeout": "1m0s"]],
        ])
    }

    @Test func secretsAreReferencedNeverCopied() throws {
        let hi = VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPExternalAuthConfig","metadata":{"name":"hdr"},"spec":{"type":"headerInjection","headerInjection":{"headerName":"X-Key","valueSecretRef":{"name":"api","key":"k"}}}}"#)
        let secret = VT.obj(#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"api"},"data":{"k":"c3VwZXItc2VjcmV0"}}"#)
        let r = VT.reconcile([VT.group(), VT.server("a", authRef: "hdr"), hi, secret, VT.vmcp(spec: Self.base + #","outgoingAuth":{"source":"discovered"}"#)])
        let cm = try #require(r.applied("ConfigMap", "v-vmcp-config"))
        let text = cm.root["data"]?["config.yaml"]?.stringValue ?? ""
        #expect(!text.contains("c3VwZXItc2VjcmV0") && !text.contains("super-secret"))
        let env = try #require(r.applied("Deployment", "v")?[path: "spec.template.spec.containers"]?.arrayValue?.first?["env"]?.arrayValue)
        #expect(env.contains(EnvVar.secret("TOOLHIVE_HEADER_INJECTION_VALUE_HDR", secret: "api", key: "k")))
    }
}

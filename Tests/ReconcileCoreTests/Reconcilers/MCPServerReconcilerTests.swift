import Testing
@testable import ReconcileCore

@Suite struct MCPServerReconcilerTests {
    typealias T = MCPTestObjects
    let r = MCPServerReconciler()

    func run(_ objects: [KubeObject], key: String = "fetch", env: OperatorEnvironment = MCPTestObjects.env()) -> ReconcileResult {
        r.reconcile(Snapshot(objects), key: ObjectKey(Kinds.mcpServer, namespace: T.ns, name: key), env: env)
    }

    // MARK: objects and names

    @Test func firstPassCreatesEveryOwnedObjectAndReportsCreating() {
        let result = run([T.server(finalizer: false)])
        #expect(result.summary == [
            "addFinalizer MCPServer/fetch",
            "apply ServiceAccount/fetch-proxy-runner", "apply Role/fetch-proxy-runner", "apply RoleBinding/fetch-proxy-runner",
            "apply ServiceAccount/fetch-sa", "apply ConfigMap/fetch-runconfig", "apply Deployment/fetch", "apply Service/mcp-fetch-proxy",
            "patchStatus MCPServer/fetch",
        ])
        #expect(result.requeueAfterSeconds == 10)  // the runner has not created StatefulSet fetch yet
        let status = result.statusPatch
        #expect(status?["phase"] == "Pending")
        #expect(status?["message"] == "MCP server is being created")
        #expect(status?["observedGeneration"] == 1)
        #expect(status?["url"] == "http://mcp-fetch-proxy.toolhive-system.svc.cluster.local:8080/mcp")
        #expect(status?["readyReplicas"] == nil)
        let ready = result.condition("Ready")
        #expect(ready?.status == .false && ready?.reason == "NotReady" && ready?.message == "MCP server is being created")
        #expect(ready?.lastTransitionTime == "2026-01-01T00:00:00Z")
        for o in result.actions.compactMap({ a -> KubeObject? in if case .apply(let o) = a.operation { return o }; return nil }) {
            #expect(o.ownerReferences == [OwnerReference(apiVersion: "toolhive.stacklok.dev/v1beta1", kind: "MCPServer", name: "fetch", uid: "uid-mcpserver-toolhive-system-fetch")])
            #expect(o.namespace == T.ns)
        }
    }

    @Test func labelSetsAndOperatorPrecedence() throws {
        let spec: Value = [
            "image": "img", "transport": "sse",
            "resourceOverrides": [
                "proxyDeployment": [
                    "labels": ["app": "x", "team": "platform"], "annotations": ["a/b": "c"],
                    "podTemplateMetadataOverrides": ["labels": ["toolhive": "false", "pod": "extra"], "annotations": ["toolhive.stacklok.dev/mcpserver-generation": "99", "p": "q"]],
                ],
                "proxyService": ["labels": ["app.kubernetes.io/name": "other", "svc": "s"], "annotations": ["external-dns": "h"]],
            ],
        ]
        let result = run([T.server(spec: spec)])
        let d = try #require(result.applied("Deployment", "fetch"))
        let l = ProxyDeploymentBuilder.labels(server: "fetch")
        #expect(l == ["app": "mcpserver", "app.kubernetes.io/name": "mcpserver", "app.kubernetes.io/instance": "fetch", "toolhive": "true", "toolhive-name": "fetch"])
        #expect(d.labels == l.merging(["team": "platform"]) { a, _ in a })
        #expect(d.annotations == ["a/b": "c"])
        #expect(d[path: "spec.selector.matchLabels"]?.stringMapValue == l)
        #expect(d[path: "spec.template.metadata.labels"]?.stringMapValue == l.merging(["pod": "extra"]) { a, _ in a })
        let podAnnotations = d[path: "spec.template.metadata.annotations"]?.stringMapValue ?? [:]
        #expect(podAnnotations["toolhive.stacklok.dev/mcpserver-generation"] == "1")
        #expect(podAnnotations["p"] == "q")
        #expect(podAnnotations["toolhive.stacklok.dev/runconfig-checksum"]?.count == 64)
        let svc = try #require(result.applied("Service", "mcp-fetch-proxy"))
        #expect(svc.labels == l.merging(["svc": "s"]) { a, _ in a })
        #expect(svc.annotations == ["external-dns": "h"])
        #expect(svc[path: "spec.selector"]?.stringMapValue == l)
        #expect(svc[path: "spec.sessionAffinity"] == "ClientIP")
        #expect(svc[path: "spec.ports"] == [["name": "http", "port": 8080, "targetPort": 8080, "protocol": "TCP"]])
        let cm = try #require(result.applied("ConfigMap", "fetch-runconfig"))
        #expect(cm.labels == ["toolhive.stacklok.io/component": "run-config", "toolhive.stacklok.io/mcp-server": "fetch", "toolhive.stacklok.io/managed-by": "toolhive-operator"])
        for kind in ["ServiceAccount", "Role", "RoleBinding"] {
            #expect(result.applied(kind, "fetch-proxy-runner")?.labels == [:])
        }
    }

    @Test func proxyContainerFollowsTheSpec() throws {
        let spec: Value = [
            "image": "ghcr.io/x/y:1", "transport": "streamable-http", "proxyPort": 9090,
            "resources": ["limits": ["cpu": "100m", "memory": "128Mi"], "requests": ["cpu": "50m"]],
            "volumes": [["name": "data", "hostPath": "/srv", "mountPath": "/data", "readOnly": true], ["name": "rw", "hostPath": "/tmp/x", "mountPath": "/x"]],
            "resourceOverrides": ["proxyDeployment": ["env": [["name": "HOME", "value": "/home/me"], ["name": "TOOLHIVE_SECRET_X", "value": "1"]]]],
        ]
        let d = try #require(run([T.server(spec: spec)]).applied("Deployment", "fetch"))
        let pod = try #require(d[path: "spec.template.spec"])
        #expect(pod["serviceAccountName"] == "fetch-proxy-runner")
        #expect(pod["terminationGracePeriodSeconds"] == 30)
        #expect(pod["securityContext"] == ["runAsNonRoot": true, "runAsUser": 1000, "runAsGroup": 1000, "fsGroup": 1000, "seccompProfile": ["type": "RuntimeDefault"]])
        #expect(pod["imagePullSecrets"] == nil)
        let c = try #require(pod["containers"]?.arrayValue?.first)
        #expect(pod["containers"]?.arrayValue?.count == 1)
        #expect(c["name"] == "toolhive")
        #expect(c["image"] == "ghcr.io/stacklok/toolhive/proxyrunner:latest")
        #expect(c["args"] == ["run", #"--k8s-pod-patch={"metadata":{"creationTimestamp":null},"spec":{"containers":[],"serviceAccountName":"fetch-sa"}}"#, "ghcr.io/x/y:1"])
        #expect(c["ports"] == [["name": "http", "containerPort": 9090, "protocol": "TCP"]])
        #expect(c["resources"] == ["limits": ["cpu": "100m", "memory": "128Mi"], "requests": ["cpu": "50m"]])
        #expect(c["startupProbe"] == ["httpGet": ["path": "/health", "port": "http"], "periodSeconds": 5, "timeoutSeconds": 3, "failureThreshold": 18])
        #expect(c["livenessProbe"] == ["httpGet": ["path": "/health", "port": "http"], "initialDelaySeconds": 30, "periodSeconds": 10, "timeoutSeconds": 5, "failureThreshold": 3])
        #expect(c["readinessProbe"] == ["httpGet": ["path": "/health", "port": "http"], "initialDelaySeconds": 5, "periodSeconds": 5, "timeoutSeconds": 3, "failureThreshold": 3])
        #expect(c["securityContext"] == [
            "privileged": false, "runAsNonRoot": true, "runAsUser": 1000, "runAsGroup": 1000, "allowPrivilegeEscalation": false,
            "readOnlyRootFilesystem": true, "seccompProfile": ["type": "RuntimeDefault"], "capabilities": ["drop": ["ALL"]],
        ])
        let envNames = (c["env"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        #expect(envNames == ["HOME", "TOOLHIVE_SECRET_X", "THV_MCPSERVER_GENERATION", "XDG_CONFIG_HOME", "TOOLHIVE_RUNTIME", "UNSTRUCTURED_LOGS", "TOOLHIVE_SECRETS_PROVIDER"])
        #expect(c["env"]?.arrayValue?[2] == ["name": "THV_MCPSERVER_GENERATION", "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.annotations['toolhive.stacklok.dev/mcpserver-generation']"]]])
        #expect(c["volumeMounts"] == [
            ["name": "runconfig", "mountPath": "/etc/runconfig", "readOnly": true], ["name": "data", "mountPath": "/data", "readOnly": true], ["name": "rw", "mountPath": "/x"],
        ])
        #expect(pod["volumes"] == [
            ["name": "runconfig", "configMap": ["name": "fetch-runconfig"]], ["name": "data", "hostPath": ["path": "/srv"]], ["name": "rw", "hostPath": ["path": "/tmp/x"]],
        ])
    }

    @Test func openShiftOmitsTheFixedIDs() throws {
        var env = T.env()
        env.platform = .openshift
        let d = try #require(run([T.server()], env: env).applied("Deployment", "fetch"))
        #expect(d[path: "spec.template.spec.securityContext"] == ["runAsNonRoot": true, "seccompProfile": ["type": "RuntimeDefault"]])
        let c = d[path: "spec.template.spec.containers"]?.arrayValue?.first
        #expect(c?[path: "securityContext.runAsUser"] == nil)
        #expect(c?[path: "securityContext.runAsNonRoot"] == true)
    }

    @Test func roleRulesAndBinding() throws {
        let result = run([T.server()])
        let role = try #require(result.applied("Role", "fetch-proxy-runner"))
        let rules = role.root["rules"]?.arrayValue ?? []
        #expect(rules.count == 6)
        #expect(rules.first == ["apiGroups": ["apps"], "resources": ["statefulsets"], "verbs": ["get", "list", "watch", "create", "update", "patch", "delete"]])
        #expect(rules[4] == ["apiGroups": [""], "resources": ["pods/attach"], "verbs": ["create", "get"]])
        let rb = try #require(result.applied("RoleBinding", "fetch-proxy-runner"))
        #expect(rb.root["roleRef"] == ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "fetch-proxy-runner"])
        #expect(rb.root["subjects"] == [["kind": "ServiceAccount", "name": "fetch-proxy-runner", "namespace": "toolhive-system"]])
    }

    // MARK: service accounts, pull secrets, pod patch

    @Test func customServiceAccountIsUsedAndNoDefaultIsCreated() throws {
        let result = run([T.server(spec: ["image": "img", "serviceAccount": "mkp-sa", "secrets": [["name": "gh", "key": "token", "targetEnvName": "GITHUB_TOKEN"], ["name": "s2", "key": "K"]]])])
        #expect(result.applied("ServiceAccount", "fetch-sa") == nil)
        #expect(result.applied("ServiceAccount", "fetch-proxy-runner") != nil)
        let args = result.applied("Deployment", "fetch")?[path: "spec.template.spec.containers"]?.arrayValue?.first?["args"]
        #expect(args?.arrayValue?[1] == .string(#"--k8s-pod-patch={"metadata":{"creationTimestamp":null},"spec":{"containers":[{"env":[{"name":"GITHUB_TOKEN","valueFrom":{"secretKeyRef":{"key":"token","name":"gh"}}},{"name":"K","valueFrom":{"secretKeyRef":{"key":"K","name":"s2"}}}],"name":"mcp"}],"serviceAccountName":"mkp-sa"}}"#))
    }

    @Test func emptyServiceAccountSuppressesBothTheSAAndThePatch() throws {
        let result = run([T.server(spec: ["image": "img", "serviceAccount": ""])])
        #expect(result.applied("ServiceAccount", "fetch-sa") == nil)
        let args = result.applied("Deployment", "fetch")?[path: "spec.template.spec.containers"]?.arrayValue?.first?["args"]
        #expect(args == ["run", "img"])
    }

    @Test func userTemplateIsMergedWithSecretsOnTheMCPContainer() throws {
        let template: Value = ["spec": ["nodeSelector": ["a": "b"], "containers": [["name": "mcp", "env": [["name": "X", "value": "1"]]]]]]
        let result = run([T.server(spec: ["image": "img", "podTemplateSpec": template, "secrets": [["name": "s", "key": "k"]]])])
        let arg = result.applied("Deployment", "fetch")?[path: "spec.template.spec.containers"]?.arrayValue?.first?["args"]?.arrayValue?[1].stringValue
        #expect(arg == #"--k8s-pod-patch={"metadata":{"creationTimestamp":null},"spec":{"containers":[{"env":[{"name":"X","value":"1"},{"name":"k","valueFrom":{"secretKeyRef":{"key":"k","name":"s"}}}],"name":"mcp"}],"nodeSelector":{"a":"b"},"serviceAccountName":"fetch-sa"}}"#)
        #expect(result.condition("PodTemplateValid")?.reason == "ValidPodTemplateSpec")
        #expect(result.condition("PodTemplateValid")?.message == "PodTemplateSpec is valid")
    }

    @Test func imagePullSecretsMergeOverridesFirstThenDefaults() throws {
        var env = T.env()
        env.defaultImagePullSecrets = ["regcred", "shared"]
        let spec: Value = ["image": "img", "resourceOverrides": ["proxyDeployment": ["imagePullSecrets": [["name": "shared"], ["name": "mine"], ["name": "shared"]]]]]
        let result = run([T.server(spec: spec)], env: env)
        let expected: Value = [["name": "shared"], ["name": "mine"], ["name": "regcred"]]
        #expect(result.applied("Deployment", "fetch")?[path: "spec.template.spec.imagePullSecrets"] == expected)
        #expect(result.applied("ServiceAccount", "fetch-proxy-runner")?.root["imagePullSecrets"] == expected)
        #expect(result.applied("ServiceAccount", "fetch-sa")?.root["imagePullSecrets"] == expected)
    }

    // MARK: replicas

    @Test(arguments: [
        ("stdio", nil, nil, "False", "False"),
        ("stdio", 3, 1, "True", "True"),
        ("sse", 3, 3, "False", "True"),
        ("streamable-http", 0, 0, "False", "False"),
        ("stdio", 1, 1, "False", "False"),
    ] as [(String, Int64?, Int64?, String, String)])
    func replicasRules(transport: String, replicas: Int64?, expected: Int64?, capped: String, warning: String) throws {
        var spec: Value = ["image": "img", "transport": .string(transport)]
        if let replicas { spec.set(path: ["replicas"], to: .int(replicas)) }
        let result = run([T.server(spec: spec)])
        let d = try #require(result.applied("Deployment", "fetch"))
        #expect(d[path: "spec.replicas"] == expected.map { Value.int($0) })
        #expect(result.condition("StdioReplicaCapped")?.status.rawValue == capped)
        #expect(result.condition("SessionStorageWarning")?.status.rawValue == warning)
    }

    @Test func stdioCapClampsAManualScaleUp() {
        var live = T.object("apps/v1", "Deployment", "fetch")
        live.spec = ["replicas": 3]
        let result = run([T.server(spec: ["image": "img", "transport": "stdio"]), live])
        #expect(result.applied("Deployment", "fetch")?[path: "spec.replicas"] == 1)
        let http = run([T.server(spec: ["image": "img", "transport": "sse"]), live])
        #expect(http.applied("Deployment", "fetch")?[path: "spec.replicas"] == nil)  // an HPA's count is preserved
    }

    @Test func redisSessionsClearTheWarningAndAddThePasswordEnv() throws {
        let spec: Value = ["image": "img", "transport": "sse", "replicas": 2, "sessionStorage": ["provider": "redis", "address": "redis:6379", "passwordRef": ["name": "redis", "key": "pw"]]]
        let result = run([T.server(spec: spec)])
        #expect(result.condition("SessionStorageWarning")?.reason == "SessionStorageConfigured")
        let env = result.applied("Deployment", "fetch")?[path: "spec.template.spec.containers"]?.arrayValue?.first?["env"]?.arrayValue ?? []
        #expect(env.first == ["name": "THV_SESSION_REDIS_PASSWORD", "valueFrom": ["secretKeyRef": ["name": "redis", "key": "pw"]]])
        let json = try #require(result.applied("ConfigMap", "fetch-runconfig")?.root["data"]?["runconfig.json"]?.stringValue)
        #expect(json.contains(#""session_redis": {"# + "\n" + #"      "address": "redis:6379""#))
        #expect(!json.contains("pw"))
    }

    // MARK: URL

    @Test(arguments: [
        ("stdio", nil, 8080, "http://mcp-fetch-proxy.toolhive-system.svc.cluster.local:8080/mcp"),
        ("stdio", "sse", 8080, "http://mcp-fetch-proxy.toolhive-system.svc.cluster.local:8080/sse#fetch"),
        ("sse", nil, 9000, "http://mcp-fetch-proxy.toolhive-system.svc.cluster.local:9000/sse#fetch"),
        ("streamable-http", "sse", 8081, "http://mcp-fetch-proxy.toolhive-system.svc.cluster.local:8081/mcp"),
    ] as [(String, String?, Int64, String)])
    func urlPerTransport(transport: String, proxyMode: String?, port: Int64, url: String) {
        var spec: Value = ["image": "img", "transport": .string(transport), "proxyPort": .int(port)]
        if let proxyMode { spec.set(path: ["proxyMode"], to: .string(proxyMode)) }
        #expect(run([T.server(spec: spec)]).statusPatch?["url"] == .string(url))
    }

    @Test func urlFollowsAPortChange() {
        let stale: Value = ["url": "http://mcp-fetch-proxy.toolhive-system.svc.cluster.local:8080/mcp", "phase": "Pending"]
        let result = run([T.server(spec: ["image": "img", "transport": "streamable-http", "proxyPort": 9999], status: stale)])
        #expect(result.statusPatch?["url"] == "http://mcp-fetch-proxy.toolhive-system.svc.cluster.local:9999/mcp")
    }

    @Test func urlPathEscapesTheName() {
        #expect(ProxyDeploymentBuilder.pathEscape("a b/c") == "a%20b%2Fc")
        #expect(ProxyDeploymentBuilder.pathEscape("st-stdio") == "st-stdio")
        #expect(ProxyDeploymentBuilder.pathEscape("é~x@y:z;=+,*()'&$!%#?") == "%C3%A9~x@y:z;=+,*()'&$!%25%23%3F")
        // Every ASCII character, against Go's list of what PathEscape leaves as is.
        let kept = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@".utf8)
        for b in UInt8(0)..<128 {
            let c = String(decoding: [b], as: UTF8.self)
            let expected = kept.contains(b) ? c : "%" + String(b, radix: 16, uppercase: true).leftPadded(to: 2)
            #expect(ProxyDeploymentBuilder.pathEscape(c) == expected, "byte \(b)")
        }
    }

    // MARK: runconfig

    @Test func runConfigContentAndChecksum() throws {
        let spec: Value = [
            "image": "img:1", "transport": "sse", "mcpPort": 3000, "args": ["--x"], "env": [["name": "B", "value": "2"], ["name": "A", "value": "<&>"]],
            "volumes": [["name": "v", "hostPath": "/h", "mountPath": "/m", "readOnly": true]], "permissionProfile": ["type": "builtin", "name": "network"],
            "trustProxyHeaders": true, "backendReplicas": 2,
        ]
        let result = run([T.server(spec: spec, generation: 4)])
        let cm = try #require(result.applied("ConfigMap", "fetch-runconfig"))
        let json = try #require(cm.root["data"]?["runconfig.json"]?.stringValue)
        #expect(json == """
        {
          "schema_version": "v0.1.0",
          "name": "fetch",
          "image": "img:1",
          "mcpserver_generation": 4,
          "cmd_args": [
            "--x"
          ],
          "transport": "sse",
          "proxy_mode": "sse",
          "host": "0.0.0.0",
          "port": 8080,
          "target_port": 3000,
          "env_vars": {
            "A": "\\u003c\\u0026\\u003e",
            "B": "2",
            "FASTMCP_PORT": "3000",
            "MCP_PORT": "3000",
            "MCP_TRANSPORT": "sse"
          },
          "volumes": [
            "/h:/m:ro"
          ],
          "permission_profile_name_or_path": "network",
          "trust_proxy_headers": true,
          "scaling_config": {
            "backend_replicas": 2
          }
        }
        """)
        let labels = cm.labels
        var expected = SHA256()
        expected.update("runconfig.json" + json)
        for k in labels.keys.sorted() { expected.update(k + (labels[k] ?? "")) }
        let sum = Hex.encode(expected.finalize())
        #expect(cm.annotations == ["toolhive.stacklok.dev/content-checksum": sum])
        let d = try #require(result.applied("Deployment", "fetch"))
        #expect(d[path: "spec.template.metadata.annotations"]?["toolhive.stacklok.dev/runconfig-checksum"] == .string(sum))
        #expect(d[path: "spec.template.metadata.annotations"]?["toolhive.stacklok.dev/mcpserver-generation"] == "4")
    }

    @Test func runConfigEnvKeysAreValidated() {
        let result = run([T.server(spec: ["image": "img", "env": [["name": "A=B", "value": "x"]]])])
        #expect(result.statusPatch?["phase"] == "Failed")
        #expect(result.statusPatch?["message"] == "Failed to build configuration: environment variable key \"A=B\" contains invalid characters")
        #expect(result.applied("Deployment", "fetch") == nil)
    }

    @Test func runConfigChecksCharactersByteByByteAsGo() throws {
        #expect(RunConfigBuilder.containsByte("A=B", of: "=\r\n"))
        #expect(RunConfigBuilder.containsByte("line\r\nbreak", of: "\r\n"))
        #expect(RunConfigBuilder.containsByte("x=\u{301}", of: "=\r\n"))  // one grapheme, still an `=`
        #expect(!RunConfigBuilder.containsByte("é😀 ok", of: "=\r\n"))
        #expect(!RunConfigBuilder.containsByte("", of: ","))
        let value = run([T.server(spec: ["image": "img", "env": [["name": "A", "value": "x\r\ny"]]])])
        #expect(value.statusPatch?["message"] == "Failed to build configuration: environment variable \"A\" value contains invalid characters")
        var tools = RunConfigBuilder.Tools()
        tools.filter = ["fetch", "a,b"]
        let spec = try MCPServerSpec(FieldReader(["image": "img"], path: "spec"))
        #expect(throws: RunConfigBuilder.InvalidConfig(message: "invalid tool name \"a,b\" in tools filter")) { try RunConfigBuilder.validate(spec, tools: tools) }
        tools.filter = ["fetch"]
        #expect(throws: Never.self) { try RunConfigBuilder.validate(spec, tools: tools) }
    }

    @Test func inlineAuthzGetsItsConfigMapAndMount() throws {
        let spec: Value = ["image": "img", "authzConfig": ["type": "inline", "inline": ["policies": ["permit(principal, action, resource);"]]]]
        let result = run([T.server(spec: spec)])
        let cm = try #require(result.applied("ConfigMap", "fetch-authz-inline"))
        #expect(cm.root["data"]?["authz.json"] == #"{"cedar":{"entities_json":"[]","policies":["permit(principal, action, resource);"]},"type":"cedarv1","version":"1.0"}"#)
        #expect(cm.labels["toolhive.stacklok.io/authz"] == "inline")
        #expect(cm.labels["toolhive-name"] == "fetch")
        let volumes = result.applied("Deployment", "fetch")?[path: "spec.template.spec.volumes"]?.arrayValue ?? []
        #expect(volumes.last == ["name": "authz-config", "configMap": ["name": "fetch-authz-inline", "items": [["key": "authz.json", "path": "authz.json"]]]])
    }

    // MARK: status from pods

    @Test(arguments: [
        ([MCPTestObjects.pod("p1")], true, "Ready", "MCP server is running", 1),
        ([MCPTestObjects.pod("p1")], false, "Pending", "MCP server proxy is running; recreating missing workload StatefulSet", 1),
        ([MCPTestObjects.pod("p1", phase: "Succeeded", ready: false)], true, "Ready", "MCP server is running", 1),
        ([MCPTestObjects.pod("p1", phase: "Running", ready: false)], true, "Pending", "MCP server is starting", 0),
        ([MCPTestObjects.pod("p1", phase: "Pending", ready: false, waiting: "ImagePullBackOff")], true, "Pending", "MCP server is starting", 0),
        ([MCPTestObjects.pod("p1", phase: "Running", ready: false, waiting: "CrashLoopBackOff")], true, "Failed", "MCP server pod failed: CrashLoopBackOff", 0),
        ([MCPTestObjects.pod("p1", phase: "Running", ready: false, exitCode: 2)], true, "Failed", "MCP server pod failed: ContainerTerminated", 0),
        ([MCPTestObjects.pod("p1", phase: "Failed", ready: false)], true, "Failed", "MCP server pod failed: PodFailed", 0),
        ([MCPTestObjects.pod("p1", phase: "Unknown", ready: false)], true, "Pending", "MCP server is starting", 0),
        ([MCPTestObjects.pod("p1", deleting: true)], true, "Pending", "No healthy pods found", 0),
        ([MCPTestObjects.pod("p1", phase: "Failed", ready: false), MCPTestObjects.pod("p2")], true, "Ready", "MCP server is running", 1),
        ([MCPTestObjects.pod("p1"), MCPTestObjects.pod("p2"), MCPTestObjects.pod("other", server: "other")], true, "Ready", "MCP server is running", 2),
        ([MCPTestObjects.pod("other", server: "other")], true, "Pending", "MCP server is being created", 0),
    ] as [([KubeObject], Bool, String, String, Int64)])
    func phaseFromProxyPods(pods: [KubeObject], statefulSet: Bool, phase: String, message: String, ready: Int64) {
        let server = T.server()
        var objects = [server] + pods
        if statefulSet { objects.append(T.statefulSet(ownedBy: server)) }
        let result = run(objects)
        #expect(result.statusPatch?["phase"] == .string(phase))
        #expect(result.statusPatch?["message"] == .string(message))
        #expect((result.statusPatch?["readyReplicas"]?.intValue ?? 0) == ready)
        let cond = result.condition("Ready")
        #expect(cond?.status == (phase == "Ready" ? .true : .false))
        #expect(cond?.reason == (phase == "Ready" ? "Ready" : "NotReady"))
        #expect(cond?.message == message)
        #expect(cond?.observedGeneration == 1)
    }

    @Test func scaledToZeroIsStopped() {
        var live = T.object("apps/v1", "Deployment", "fetch")
        live.spec = ["replicas": 0]
        let result = run([T.server(spec: ["image": "img", "replicas": 0]), live, T.pod("p1")])
        #expect(result.statusPatch?["phase"] == "Stopped")
        #expect(result.statusPatch?["message"] == "MCP server is stopped (scaled to zero)")
        #expect(result.requeueAfterSeconds == nil)  // no runner runs, so no StatefulSet is awaited
    }

    @Test func failedIsNotStickyWithoutPods() {
        let previous: Value = ["phase": "Failed", "message": "MCP server pod failed: CrashLoopBackOff"]
        let result = run([T.server(status: previous)])
        #expect(result.statusPatch?["phase"] == "Pending")
        #expect(result.statusPatch?["message"] == "MCP server is being created")
    }

    // MARK: groupRef

    @Test(arguments: [
        ([] as [KubeObject], ["name": "g"] as Value, "False", "GroupRefNotFound", "MCPGroup 'g' not found in namespace 'toolhive-system'"),
        ([MCPTestObjects.group("g", ns: "other")], "g", "False", "GroupRefNotFound", "MCPGroup 'g' not found in namespace 'toolhive-system'"),
        ([MCPTestObjects.group("g", phase: nil)], ["name": "g"], "False", "GroupRefNotReady", "MCPGroup 'g' is not ready (current phase: )"),
        ([MCPTestObjects.group("g", phase: "Pending")], "g", "False", "GroupRefNotReady", "MCPGroup 'g' is not ready (current phase: Pending)"),
        ([MCPTestObjects.group("g")], ["name": "g"], "True", "GroupRefIsValid", "MCPGroup 'g' is valid and ready"),
        ([MCPTestObjects.group("g")], "g", "True", "GroupRefIsValid", "MCPGroup 'g' is valid and ready"),
        ([MCPTestObjects.group("g", deleting: true)], ["name": "g"], "False", "GroupRefNotFound", "Referenced MCPGroup is being deleted"),
    ] as [([KubeObject], Value, String, String, String)])
    func groupRefValidation(groups: [KubeObject], ref: Value, status: String, reason: String, message: String) throws {
        let result = run([T.server(spec: ["image": "img", "groupRef": ref])] + groups)
        let c = try #require(result.condition("GroupRefValidated"))
        #expect(c.status.rawValue == status)
        #expect(c.reason == reason)
        #expect(c.message == message)
        #expect(c.observedGeneration == 1)
        #expect(result.applied("Deployment", "fetch") != nil)  // never blocks the workload
    }

    @Test func groupRefConditionGoesWithTheRef() {
        let old: Value = ["conditions": [Condition(type: "GroupRefValidated", status: .true, reason: "GroupRefIsValid", message: "x", observedGeneration: 1, lastTransitionTime: "2025-01-01T00:00:00Z").value]]
        let result = run([T.server(status: old)])
        #expect(result.condition("GroupRefValidated") == nil)
        #expect(result.condition("Ready") != nil)
    }

    // MARK: deletion

    @Test func deletionCleansUpRunnerObjectsAndReleasesTheFinalizer() {
        var server = T.server()
        server.deletionTimestamp = "2026-01-01T00:00:00Z"
        var headless = T.object("v1", "Service", "mcp-fetch-headless")
        headless.labels = ["x": "y"]
        let result = run([server, T.statefulSet(), headless, T.object("v1", "ConfigMap", "fetch-runconfig")])
        #expect(result.summary == [
            "patchStatus MCPServer/fetch", "delete StatefulSet/fetch", "delete Service/mcp-fetch-headless", "delete ConfigMap/fetch-runconfig", "removeFinalizer MCPServer/fetch",
        ])
        #expect(result.statusPatch?["phase"] == "Terminating")
        #expect(result.statusPatch?["message"] == "MCP server is being terminated")
        #expect(result.condition("Ready")?.message == "MCP server is being terminated")
    }

    @Test func deletionNeverHangsOnAnInvalidSpec() {
        var server = T.server(spec: ["transport": 42, "podTemplateSpec": ["spec": ["containers": "x"]]])
        server.deletionTimestamp = "2026-01-01T00:00:00Z"
        let result = run([server])
        #expect(result.summary == ["patchStatus MCPServer/fetch", "removeFinalizer MCPServer/fetch"])
    }

    @Test func deletionWithoutFinalizerDoesNothing() {
        var server = T.server(finalizer: false)
        server.deletionTimestamp = "2026-01-01T00:00:00Z"
        #expect(run([server, T.statefulSet()]).actions.isEmpty)
    }

    @Test func missingServerIsNoop() {
        #expect(run([]).actions.isEmpty)
    }

    // MARK: invalid input

    @Test func invalidPodTemplateSpecIsAConditionNotACrash() throws {
        let result = run([T.server(spec: ["image": "img", "podTemplateSpec": ["spec": ["containers": "x"]]])])
        #expect(result.summary == ["patchStatus MCPServer/fetch"])
        let err = "failed to unmarshal PodTemplateSpec: json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container"
        #expect(result.statusPatch?["phase"] == "Failed")
        #expect(result.statusPatch?["message"] == .string("Invalid PodTemplateSpec: \(err)"))
        let c = try #require(result.condition("PodTemplateValid"))
        #expect(c.status == .false && c.reason == "InvalidPodTemplateSpec")
        #expect(c.message == "Failed to parse PodTemplateSpec: \(err). Deployment blocked until fixed.")
        #expect(result.events == [Event(.warning, reason: "InvalidPodTemplateSpec", message: "Failed to parse PodTemplateSpec: \(err). Deployment blocked until PodTemplateSpec is fixed.")])
    }

    @Test(arguments: [
        (["transport": "stdio"] as Value, "Invalid MCPServer spec: spec.image: required field is missing"),
        (["image": "i", "transport": "websocket"], #"Invalid MCPServer spec: spec.transport: unsupported value "websocket": must be one of "stdio", "streamable-http", "sse""#),
        (["image": "i", "proxyPort": 70000], "Invalid MCPServer spec: spec.proxyPort: must be between 0 and 65535, got 70000"),
        (["image": "i", "groupRef": 3], "Invalid MCPServer spec: spec.groupRef: expected a string or a map, got an integer"),
        (["image": "i", "env": [["value": "x"]]], "Invalid MCPServer spec: spec.env[0].name: required field is missing"),
    ] as [(Value, String)])
    func undecodableSpecIsFailedStatus(spec: Value, message: String) {
        let result = run([T.server(spec: spec)])
        #expect(result.summary == ["patchStatus MCPServer/fetch"])
        #expect(result.statusPatch?["phase"] == "Failed")
        #expect(result.statusPatch?["message"] == .string(message))
    }

    // MARK: refs

    @Test func missingToolConfigFailsWithoutTouchingTheWorkloadAndKeepsTheMessage() {
        let result = run([T.server(spec: ["image": "img", "toolConfigRef": ["name": "tools"]], status: ["phase": "Ready", "message": "MCP server is running"])])
        #expect(result.summary == ["patchStatus MCPServer/fetch"])
        #expect(result.statusPatch?["phase"] == "Failed")
        #expect(result.statusPatch?["message"] == "MCP server is running")
        #expect(result.condition("Ready")?.message == "MCPToolConfig tools not found in namespace toolhive-system")
    }

    @Test func toolConfigFeedsRunConfigAndHash() throws {
        var tc = T.object("toolhive.stacklok.dev/v1beta1", "MCPToolConfig", "tools")
        tc.spec = ["toolsFilter": ["fetch"], "toolsOverride": ["fetch": ["name": "get", "description": "Get a URL"]]]
        tc.status = ["configHash": "abc123"]
        let result = run([T.server(spec: ["image": "img", "toolConfigRef": ["name": "tools"]]), tc])
        #expect(result.statusPatch?["toolConfigHash"] == "abc123")
        let json = try #require(result.applied("ConfigMap", "fetch-runconfig")?.root["data"]?["runconfig.json"]?.stringValue)
        #expect(json.contains("\"tools_filter\": [\n    \"fetch\"\n  ],\n  \"tools_override\": {\n    \"fetch\": {\n      \"name\": \"get\",\n      \"description\": \"Get a URL\"\n    }\n  }"))
    }

    @Test func externalAuthValidFalseIsMirrored() throws {
        var eac = T.object("toolhive.stacklok.dev/v1beta1", "MCPExternalAuthConfig", "auth")
        eac.status = ["conditions": [Condition(type: "Valid", status: .false, reason: "EnterpriseRequired", message: "obo needs enterprise", lastTransitionTime: "2025-01-01T00:00:00Z").value]]
        let result = run([T.server(spec: ["image": "img", "externalAuthConfigRef": ["name": "auth"]]), eac])
        let c = try #require(result.condition("ExternalAuthConfigValidated"))
        #expect(c.status == .false && c.reason == "EnterpriseRequired" && c.message == "obo needs enterprise")
        #expect(result.condition("Ready")?.message == "MCPExternalAuthConfig toolhive-system/auth: invalid (EnterpriseRequired): obo needs enterprise")
        #expect(result.statusPatch?["phase"] == "Failed")
    }

    @Test func oidcRefStates() throws {
        let missing = run([T.server(spec: ["image": "img", "oidcConfigRef": ["name": "idp", "audience": "a"]])])
        #expect(missing.condition("OIDCConfigRefValidated")?.reason == "OIDCConfigRefNotFound")
        #expect(missing.condition("Ready")?.message == "MCPOIDCConfig idp not found")
        var oc = T.object("toolhive.stacklok.dev/v1beta1", "MCPOIDCConfig", "idp")
        oc.status = ["configHash": "h1", "conditions": [Condition(type: "Valid", status: .true, reason: "Valid", message: "ok", lastTransitionTime: "2025-01-01T00:00:00Z").value]]
        let ok = run([T.server(spec: ["image": "img", "oidcConfigRef": ["name": "idp", "audience": "a"]]), oc])
        #expect(ok.condition("OIDCConfigRefValidated")?.message == "MCPOIDCConfig idp is valid and ready")
        #expect(ok.statusPatch?["oidcConfigHash"] == "h1")
        #expect(ok.applied("Deployment", "fetch") != nil)
    }

    @Test func otherMissingRefsFail() {
        let cases: [(Value, String, String?)] = [
            (["name": "t"], "telemetryConfigRef", "TelemetryConfigRefValidated"),
            (["name": "w"], "webhookConfigRef", nil),
            (["name": "z"], "authzConfigRef", "AuthzConfigRefValidated"),
            (["name": "a"], "authServerRef", "AuthServerRefValidated"),
        ]
        for (ref, field, condition) in cases {
            var spec: Value = ["image": "img"]
            spec.set(path: [field], to: ref)
            let result = run([T.server(spec: spec)])
            #expect(result.statusPatch?["phase"] == "Failed", "\(field)")
            #expect(result.applied("Deployment", "fetch") == nil, "\(field)")
            if let condition { #expect(result.condition(condition)?.status == .false, "\(field)") }
        }
    }

    // MARK: StatefulSet adoption, bounce, restart

    @Test func runnerStatefulSetIsAdoptedThroughOwnerReferencesOnly() throws {
        let server = T.server()
        var sts = T.statefulSet()
        sts.spec = ["replicas": 1]
        let result = run([server, sts])
        let adopted = try #require(result.applied("StatefulSet", "fetch"))
        #expect(adopted.root.keys == ["apiVersion", "kind", "metadata"])
        #expect(adopted.ownerReferences == [OwnerReference(apiVersion: "toolhive.stacklok.dev/v1beta1", kind: "MCPServer", name: "fetch", uid: server.uid)])
        #expect(result.requeueAfterSeconds == nil)
        #expect(run([server, T.statefulSet(ownedBy: server)]).applied("StatefulSet", "fetch") == nil)
    }

    @Test func missingStatefulSetBouncesAnAvailableProxyAtMostEveryTwoMinutes() throws {
        var live = T.object("apps/v1", "Deployment", "fetch")
        live.status = ["availableReplicas": 1]
        let bounced = run([T.server(), live])
        #expect(bounced.applied("Deployment", "fetch")?[path: "spec.template.metadata.annotations"]?["mcpserver.toolhive.stacklok.dev/restarted-at"] == "2026-01-01T00:00:00Z")
        #expect(bounced.requeueAfterSeconds == 10)
        live.spec = ["template": ["metadata": ["annotations": ["mcpserver.toolhive.stacklok.dev/restarted-at": "2025-12-31T23:59:00Z"]]]]
        let recent = run([T.server(), live])
        // The recent stamp is kept as it is, not renewed.
        #expect(recent.applied("Deployment", "fetch")?[path: "spec.template.metadata.annotations"]?["mcpserver.toolhive.stacklok.dev/restarted-at"] == "2025-12-31T23:59:00Z")
    }

    @Test func restartRequests() throws {
        let request = ["mcpserver.toolhive.stacklok.dev/restarted-at": "2025-12-31T12:00:00Z"]
        let live = T.object("apps/v1", "Deployment", "fetch")
        let rolling = run([T.server(annotations: request), live, T.statefulSet()])
        #expect(rolling.applied("Deployment", "fetch")?[path: "spec.template.metadata.annotations"]?["mcpserver.toolhive.stacklok.dev/restarted-at"] == "2026-01-01T00:00:00Z")
        #expect(rolling.applied("MCPServer", "fetch")?.annotations == ["mcpserver.toolhive.stacklok.dev/last-processed-restart": "2025-12-31T12:00:00Z"])
        var immediateAnnotations = request
        immediateAnnotations["mcpserver.toolhive.stacklok.dev/restart-strategy"] = "immediate"
        let immediate = run([T.server(annotations: immediateAnnotations), live, T.pod("p1"), T.pod("p2"), T.pod("x", server: "other")])
        #expect(immediate.summary.filter { $0.hasPrefix("delete") } == ["delete Pod/p1", "delete Pod/p2"])
        var done = request
        done["mcpserver.toolhive.stacklok.dev/last-processed-restart"] = "2025-12-31T12:00:00Z"
        let handled = run([T.server(annotations: done), live])
        #expect(handled.applied("MCPServer", "fetch") == nil)
        #expect(handled.applied("Deployment", "fetch")?[path: "spec.template.metadata.annotations"]?["mcpserver.toolhive.stacklok.dev/restarted-at"] == nil)
    }

    // MARK: steady state and determinism

    @Test func convergedServerGivesAnEmptyPlan() {
        var snapshot = Snapshot([T.server(spec: ["image": "img", "transport": "sse", "groupRef": ["name": "g"]]), T.group("g")])
        let key = ObjectKey(Kinds.mcpServer, namespace: T.ns, name: "fetch")
        var env = T.env()
        TestAPIServer.apply(r.reconcile(snapshot, key: key, env: env), to: &snapshot)
        // The runner and kubelet do their part; time moves on.
        snapshot.upsert(T.statefulSet())
        snapshot.upsert(T.pod("p1"))
        env.now = env.now.adding(seconds: 60)
        TestAPIServer.apply(r.reconcile(snapshot, key: key, env: env), to: &snapshot)
        env.now = env.now.adding(seconds: 60)
        let steady = r.reconcile(snapshot, key: key, env: env)
        #expect(steady.actions.isEmpty, "\(steady.summary)")
        #expect(steady.requeueAfterSeconds == nil)
        let status = snapshot.get(key)?.status
        #expect(status?["phase"] == "Ready")
        #expect(ConditionList(status: status ?? .null)["Ready"]?.lastTransitionTime == "2026-01-01T00:01:00Z")
    }

    @Test func snapshotOrderDoesNotMatter() {
        let objects = [
            T.server(spec: ["image": "img", "groupRef": ["name": "g"], "replicas": 2, "transport": "sse"]), T.group("g"), T.pod("p1"), T.pod("p2", phase: "Pending", ready: false),
            T.pod("p3", phase: "Failed", ready: false), T.statefulSet(), T.server("other"),
        ]
        MCPTestObjects.expectOrderIndependent(objects, seed: 7) { run($0) }
    }

    // MARK: watch mapping

    @Test func watchMappingReachesServersFromGroupsConfigsAndRunnerObjects() {
        var tc = T.object("toolhive.stacklok.dev/v1beta1", "MCPToolConfig", "tools")
        tc.spec = [:]
        let a = T.server("a", spec: ["image": "i", "groupRef": ["name": "g"], "toolConfigRef": ["name": "tools"]])
        let b = T.server("b", spec: ["image": "i", "groupRef": "g", "telemetryConfigRef": ["name": "tel"]])
        let c = T.server("c", spec: ["image": "i", "groupRef": ["name": "h"], "oidcConfigRef": ["name": "o"], "authzConfigRef": ["name": "z"], "webhookConfigRef": ["name": "w"]])
        let elsewhere = T.server("d", ns: "other", spec: ["image": "i", "groupRef": ["name": "g"]])
        let snapshot = Snapshot([a, b, c, elsewhere, T.group("g"), tc])
        let key = { (n: String) in ObjectKey(Kinds.mcpServer, namespace: T.ns, name: n) }
        #expect(r.primaries(affectedBy: T.group("g"), in: snapshot) == [key("a"), key("b")])
        #expect(r.primaries(affectedBy: tc, in: snapshot) == [key("a")])
        #expect(r.primaries(affectedBy: T.object("toolhive.stacklok.dev/v1beta1", "MCPTelemetryConfig", "tel"), in: snapshot) == [key("b")])
        for (kind, name) in [("MCPOIDCConfig", "o"), ("MCPAuthzConfig", "z"), ("MCPWebhookConfig", "w")] {
            #expect(r.primaries(affectedBy: T.object("toolhive.stacklok.dev/v1beta1", kind, name), in: snapshot) == [key("c")], "\(kind)")
            #expect(r.primaries(affectedBy: T.object("toolhive.stacklok.dev/v1beta1", kind, "other"), in: snapshot) == [], "\(kind)")
        }
        #expect(r.primaries(affectedBy: T.statefulSet("c"), in: snapshot) == [key("c")])
        #expect(r.primaries(affectedBy: T.pod("p", server: "a"), in: snapshot) == [key("a")])
        #expect(r.primaries(affectedBy: T.object("v1", "ConfigMap", "a-runconfig"), in: snapshot) == [])
        let requests = WatchMapping.requests(changed: T.group("g"), previous: nil, snapshot: snapshot, controllers: .all, env: T.env())
        #expect(requests.map(\.description) == ["MCPGroup MCPGroup/toolhive-system/g", "MCPServer MCPServer/toolhive-system/a", "MCPServer MCPServer/toolhive-system/b"])
    }
}


extension MCPServerReconcilerTests {
    @Test func anEarlierRestartStampIsCarriedSoAnApplyNeverDropsIt() {
        var live = T.object("apps/v1", "Deployment", "fetch")
        live.spec = ["template": ["metadata": ["annotations": ["mcpserver.toolhive.stacklok.dev/restarted-at": "2025-12-01T00:00:00Z"]]]]
        let result = run([T.server(), live, T.statefulSet()])
        #expect(result.applied("Deployment", "fetch")?[path: "spec.template.metadata.annotations"]?["mcpserver.toolhive.stacklok.dev/restarted-at"] == "2025-12-01T00:00:00Z")
    }
}

extension MCPServerReconcilerTests {
    @Test func absentPodTemplateLeavesItsConditionAlone() {
        #expect(run([T.server()]).condition("PodTemplateValid") == nil)
        let stale: Value = ["conditions": [Condition(type: "PodTemplateValid", status: .false, reason: "InvalidPodTemplateSpec", message: "old", observedGeneration: 1, lastTransitionTime: "2025-01-01T00:00:00Z").value]]
        #expect(run([T.server(status: stale)]).condition("PodTemplateValid")?.message == "old")
    }
}

private extension String {
    func leftPadded(to n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}

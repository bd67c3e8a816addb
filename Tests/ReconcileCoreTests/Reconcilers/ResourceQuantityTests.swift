import Testing
@testable import ReconcileCore

/// Resource quantities in desired objects are in the form the API server stores (`0.5` → `500m`),
/// so a Deployment that is already right compares as a subset and steady state plans nothing.
@Suite struct ResourceQuantityTests {
    typealias T = MCPTestObjects
    static let env = OperatorEnvironment()

    static func server(resources: Value, podTemplateSpec: Value? = nil) -> KubeObject {
        var spec: Value = ["image": "ghcr.io/stackloklabs/gofetch/server", "transport": "streamable-http", "resources": resources]
        if let podTemplateSpec { spec.set(path: ["podTemplateSpec"], to: podTemplateSpec) }
        return T.server(spec: spec)
    }

    static func reconcile(_ objects: [KubeObject]) -> ReconcileResult {
        MCPServerReconciler().reconcile(Snapshot(objects), key: ObjectKey(Kinds.mcpServer, namespace: T.ns, name: "fetch"), env: env)
    }

    static func container(_ d: KubeObject?, _ name: String) -> Value? {
        d?[path: "spec.template.spec.containers"]?.arrayValue?.first { $0["name"]?.stringValue == name }
    }

    static let userResources: Value = ["limits": ["cpu": "0.5", "memory": "1024Mi"], "requests": ["cpu": "0.1", "memory": "1.5Gi"]]

    @Test func proxyDeploymentCarriesTheStoredForm() throws {
        let result = Self.reconcile([Self.server(resources: Self.userResources)])
        let resources = Self.container(result.applied("Deployment", "fetch"), ProxyDeploymentBuilder.containerName)?["resources"]
        #expect(resources == ["limits": ["cpu": "500m", "memory": "1Gi"], "requests": ["cpu": "100m", "memory": "1536Mi"]])
    }

    /// The live bug: with `0.5` in the desired Deployment and `500m` stored, every pass applied again.
    @Test func steadyStateAgainstTheStoredDeploymentPlansNothing() throws {
        let converged = try Converger(env: Self.env, options: .init(assumeReady: true))
            .converge(ClusterModel(objects: [Self.server(resources: Self.userResources)], now: Self.env.now))
        let stored = converged.model.get(ObjectKey(Kinds.deployment, namespace: T.ns, name: "fetch"))
        #expect(Self.container(stored, ProxyDeploymentBuilder.containerName)?[path: "resources.limits"] == ["cpu": "500m", "memory": "1Gi"])
        var after = Self.env
        after.now = converged.model.now
        let again = MCPServerReconciler().reconcile(converged.model.snapshot, key: ObjectKey(Kinds.mcpServer, namespace: T.ns, name: "fetch"), env: after)
        #expect(again.actions.isEmpty, "\(again.summary)")
    }

    /// Go's `resource.MustParse` panics on it before the Deployment is written; here the
    /// Deployment is not written either, and the status says why.
    @Test func anUnparsableQuantityBlocksTheDeploymentWithAReason() throws {
        let result = Self.reconcile([Self.server(resources: ["limits": ["cpu": "half"], "requests": ["memory": "1Gi"]])])
        #expect(result.applied("Deployment", "fetch") == nil)
        #expect(result.applied("Service", "mcp-fetch-proxy") == nil)
        #expect(result.applied("ConfigMap", "fetch-runconfig") != nil)  // written before the Deployment, as in Go
        #expect(result.statusPatch?["phase"] == "Failed")
        let message = "Invalid resource quantity spec.resources.limits.cpu: cannot parse 'half': quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        #expect(result.statusPatch?["message"] == .string(message))
        let ready = result.condition("Ready")
        #expect(ready?.status == .false && ready?.reason == "NotReady" && ready?.message == message)
    }

    @Test func podPatchQuantitiesAreStoredForm() throws {
        let pts: Value = ["spec": ["containers": [["name": "mcp", "resources": ["limits": ["cpu": "1000m", "memory": "0.5Gi"], "requests": ["cpu": 0.25]]]]]]
        let result = Self.reconcile([Self.server(resources: [:], podTemplateSpec: pts)])
        let args = Self.container(result.applied("Deployment", "fetch"), ProxyDeploymentBuilder.containerName)?["args"]?.arrayValue ?? []
        let patch = args.compactMap(\.stringValue).first { $0.hasPrefix("--k8s-pod-patch=") }
        #expect(patch == #"--k8s-pod-patch={"metadata":{"creationTimestamp":null},"spec":{"containers":[{"name":"mcp","resources":{"limits":{"cpu":"1","memory":"512Mi"},"requests":{"cpu":"250m"}}}],"serviceAccountName":"fetch-sa"}}"#)
    }

    /// Go's decode of the podTemplateSpec fails on the quantity, with the quantity's own error.
    @Test func anUnparsablePodTemplateQuantityIsAnInvalidPodTemplate() throws {
        let pts: Value = ["spec": ["containers": [["name": "mcp", "resources": ["limits": ["memory": "1 Gi"]]]]]]
        let result = Self.reconcile([Self.server(resources: [:], podTemplateSpec: pts)])
        #expect(result.applied("Deployment", "fetch") == nil)
        let condition = ConditionList(status: result.statusPatch ?? .null)["PodTemplateValid"]
        #expect(condition?.status == .false)
        #expect(condition?.message == "Failed to parse PodTemplateSpec: failed to unmarshal PodTemplateSpec: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'. Deployment blocked until fixed.")
    }

    @Test func registryMergeAndVMCPPatchCarryTheStoredForm() throws {
        let user: Value = ["spec": ["containers": [["name": "registry-api", "resources": ["limits": ["cpu": "2000m", "memory": "2048Mi"]]]]]]
        let defaults: Value = ["spec": ["containers": [["name": "registry-api", "image": "img"]]]]
        let merged = PodTemplateMerge.userFirst(defaults: defaults, user: user)
        #expect(merged[path: "spec.containers"]?.arrayValue?.first?[path: "resources.limits"] == ["cpu": "2", "memory": "2Gi"])

        let vmcp = VT.vmcp(spec: #""groupRef":{"name":"g"},"incomingAuth":{"type":"anonymous"},"podTemplateSpec":{"spec":{"containers":[{"name":"vmcp","resources":{"limits":{"cpu":"0.75","memory":"768Mi"}}}]}}"#)
        let result = VT.reconcile([VT.group(), vmcp])
        let resources = Self.container(result.applied("Deployment", "v"), "vmcp")?["resources"]
        #expect(resources == ["requests": ["cpu": "100m", "memory": "128Mi"], "limits": ["cpu": "750m", "memory": "768Mi"]])
        #expect(PodTemplatePatch.problem(["spec": ["initContainers": [["name": "i", "resources": ["requests": ["cpu": "1K"]]]]]])
            == "spec.initContainers[0].resources.requests.cpu: unable to parse quantity's suffix")
    }

    @Test func podQuantitiesCoversEveryQuantityFieldOfAPodSpec() throws {
        let spec: Value = [
            "containers": [["name": "a", "resources": ["limits": ["cpu": "0.5", "nvidia.com/gpu": 1], "requests": ["ephemeral-storage": "1000Mi"]]]],
            "initContainers": [["name": "i", "resources": ["requests": ["memory": "1048576Ki"]]]],
            "ephemeralContainers": [["name": "e", "resources": ["limits": ["cpu": .null]]]],
            "resources": ["limits": ["memory": "0.25Gi"]],
            "overhead": ["cpu": "0.001"],
            "volumes": [["name": "scratch", "emptyDir": ["sizeLimit": "1000000"]], ["name": "cfg", "configMap": ["name": "c"]]],
        ]
        let out = PodQuantities.canonical(podSpec: spec)
        #expect(out[path: "containers"]?.arrayValue?.first?["resources"] == ["limits": ["cpu": "500m", "nvidia.com/gpu": "1"], "requests": ["ephemeral-storage": "1000Mi"]])
        #expect(out[path: "initContainers"]?.arrayValue?.first?[path: "resources.requests.memory"] == "1Gi")
        #expect(out[path: "ephemeralContainers"]?.arrayValue?.first?[path: "resources.limits.cpu"] == "0")  // JSON null decodes as zero
        #expect(out[path: "resources.limits.memory"] == "256Mi")
        #expect(out[path: "overhead.cpu"] == "1m")
        #expect(out[path: "volumes"]?.arrayValue?.first?[path: "emptyDir.sizeLimit"] == "1M")
        #expect(out[path: "volumes"]?.arrayValue?.last == ["name": "cfg", "configMap": ["name": "c"]])
        #expect(PodQuantities.firstProblem(podSpec: out) == nil)
        // A spec already in stored form comes back unchanged.
        #expect(PodQuantities.canonical(podSpec: out) == out)
        let bad: Value = ["volumes": [["name": "v", "emptyDir": ["sizeLimit": "lots"]]]]
        #expect(PodQuantities.firstProblem(podSpec: bad, prefix: "spec.template.spec")?.description
            == "spec.template.spec.volumes[0].emptyDir.sizeLimit: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    }

    /// The offline API server stores what the real one stores, and refuses what it refuses.
    @Test func clusterModelStoresTheStoredForm() throws {
        var m = ClusterModel(objects: [], now: .simulationEpoch)
        var d = KubeObject(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "d")
        d.spec = ["template": ["spec": ["containers": [["name": "c", "image": "i", "resources": ["limits": ["cpu": "0.5", "memory": "1024Mi"]]]]]]]
        try m.apply(d)
        let key = ObjectKey(Kinds.deployment, namespace: "default", name: "d")
        #expect(m.get(key)?[path: "spec.template.spec.containers"]?.arrayValue?.first?[path: "resources.limits"] == ["cpu": "500m", "memory": "1Gi"])
        var same = d
        same.spec = ["template": ["spec": ["containers": [["name": "c", "image": "i", "resources": ["limits": ["cpu": "500m", "memory": "1Gi"]]]]]]]
        #expect(try m.apply(same) == false)  // the same stored value: not a write

        var pod = KubeObject(apiVersion: "v1", kind: "Pod", namespace: "default", name: "p")
        pod.spec = ["containers": [["name": "c", "resources": ["requests": ["cpu": "one"]]]]]
        #expect(throws: ClusterModelError.invalid(pod.reference, "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (spec.containers[0].resources.requests.cpu)")) {
            try m.apply(pod)
        }
        #expect(m.get(pod.key) == nil)
    }
}

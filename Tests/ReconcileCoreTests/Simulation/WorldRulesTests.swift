import Testing
@testable import ReconcileCore

@Suite struct WorldRulesTests {
    let env = OperatorEnvironment()

    /// Runs one rule through the model until it asks for nothing more (at most 5 passes).
    func settle(_ rule: any WorldRule, _ model: inout ClusterModel) throws -> Int {
        for pass in 1...5 {
            let changes = rule.changes(in: model.snapshot, env: env)
            if changes.isEmpty { return pass }
            for c in changes { try model.perform(c, rule: rule.name) }
        }
        return 99
    }

    func deployment(_ name: String, replicas: Int64?, labels: [String: String]) -> KubeObject {
        var d = KubeObject(apiVersion: "apps/v1", kind: "Deployment", namespace: "ns", name: name)
        var spec = OrderedMap()
        if let replicas { spec["replicas"] = .int(replicas) }
        spec["template"] = ["metadata": ["labels": .stringMap(labels)], "spec": ["containers": [["name": "toolhive", "image": "runner:1"]]]]
        d.spec = .object(spec)
        return d
    }

    @Test func deploymentsGetReadyPodsWithTheTemplateLabels() throws {
        var m = ClusterModel(objects: [deployment("web", replicas: 2, labels: ["app": "web", "tier": "x"])])
        let rule = WorkloadControllerRule(.deployment)
        #expect(try settle(rule, &m) == 2)
        let pods = m.snapshot.list(Kinds.pod, namespace: "ns", matching: ["app": "web", "tier": "x"])
        #expect(pods.count == 2)
        #expect(pods.allSatisfy { $0.status["phase"] == "Running" && $0.condition("Ready")?.status == .true })
        #expect(pods.allSatisfy { $0.status["containerStatuses"]?.arrayValue?.first?["ready"] == true })
        let d = try #require(m.get(ObjectKey(Kinds.deployment, namespace: "ns", name: "web")))
        #expect(d.status["readyReplicas"] == 2)
        #expect(d.status["availableReplicas"] == 2)
        #expect(d.status["observedGeneration"] == 1)
        #expect(d.condition("Available")?.status == .true)
    }

    @Test func aTemplateChangeRollsThePodsAndScaleToZeroRemovesThem() throws {
        var m = ClusterModel(objects: [deployment("web", replicas: 1, labels: ["app": "web"])])
        let rule = WorkloadControllerRule(.deployment)
        _ = try settle(rule, &m)
        let before = m.snapshot.list(Kinds.pod, namespace: "ns").map(\.name)
        try m.apply(deployment("web", replicas: 1, labels: ["app": "web", "v": "2"]))
        _ = try settle(rule, &m)
        let after = m.snapshot.list(Kinds.pod, namespace: "ns")
        #expect(after.count == 1)
        #expect(after.first?.labels["v"] == "2")
        #expect(after.map(\.name) != before)
        #expect(m.get(ObjectKey(Kinds.deployment, namespace: "ns", name: "web"))?.status["observedGeneration"] == 2)
        try m.apply(deployment("web", replicas: 0, labels: ["app": "web", "v": "2"]))
        _ = try settle(rule, &m)
        #expect(m.snapshot.list(Kinds.pod, namespace: "ns").isEmpty)
        #expect(m.get(ObjectKey(Kinds.deployment, namespace: "ns", name: "web"))?.status["readyReplicas"] == nil)
    }

    @Test func hugeReplicaCountsAreCapped() throws {
        var m = ClusterModel(objects: [deployment("big", replicas: 2_147_483_647, labels: ["app": "big"])])
        _ = try settle(WorkloadControllerRule(.deployment), &m)
        #expect(m.snapshot.list(Kinds.pod, namespace: "ns").count == 100)
        #expect(m.get(ObjectKey(Kinds.deployment, namespace: "ns", name: "big"))?.status["readyReplicas"] == 100)
    }

    @Test func servicesGetAddresses() throws {
        var plain = KubeObject(apiVersion: "v1", kind: "Service", namespace: "ns", name: "plain")
        plain.spec = ["ports": [["port": 80]]]
        var headless = KubeObject(apiVersion: "v1", kind: "Service", namespace: "ns", name: "headless")
        headless.spec = ["clusterIP": "None"]
        var lb = KubeObject(apiVersion: "v1", kind: "Service", namespace: "ns", name: "lb")
        lb.spec = ["type": "LoadBalancer"]
        var m = ClusterModel(objects: [plain, headless, lb])
        #expect(try settle(ServiceControllerRule(), &m) == 2)
        let ip = try #require(m.get(plain.key)?.spec["clusterIP"]?.stringValue)
        #expect(ip.hasPrefix("10.96."))
        #expect(m.get(plain.key)?.spec["type"] == "ClusterIP")
        #expect(m.get(headless.key)?.spec["clusterIP"] == "None")
        #expect(m.get(lb.key)?.status[path: "loadBalancer.ingress"]?.arrayValue?.first?["ip"]?.stringValue?.hasPrefix("203.0.113.") == true)
        // The operator re-applying its Service without clusterIP keeps the address.
        try m.apply(plain)
        #expect(m.get(plain.key)?.spec["clusterIP"]?.stringValue == ip)
    }

    func serverWithReadyProxy(transport: String, runConfig: String?) throws -> ClusterModel {
        var m = ClusterModel(objects: [Fake.server("srv", namespace: "ns", extraSpec: ["transport": .string(transport)])])
        let server = try #require(m.get(ObjectKey(Kinds.mcpServer, namespace: "ns", name: "srv")))
        var proxy = KubeObject.owned(by: server, kind: Kinds.deployment, name: "srv", labels: ["app": "mcpserver"])
        proxy.spec = ["template": ["metadata": ["labels": ["app": "mcpserver"]]]]
        try m.apply(proxy)
        if let runConfig {
            var cm = KubeObject.owned(by: server, kind: Kinds.configMap, name: "srv-runconfig")
            cm.root["data"] = ["runconfig.json": .string(runConfig)]
            try m.apply(cm)
        }
        return m
    }

    @Test func theProxyRunnerWaitsForAReadyProxy() throws {
        var m = try serverWithReadyProxy(transport: "sse", runConfig: nil)
        #expect(ProxyRunnerRule().changes(in: m.snapshot, env: env).isEmpty)
        _ = try settle(WorkloadControllerRule(.deployment), &m)
        #expect(!ProxyRunnerRule().changes(in: m.snapshot, env: env).isEmpty)
    }

    @Test func theProxyRunnerCreatesTheStatefulSetAndServices() throws {
        var m = try serverWithReadyProxy(transport: "sse", runConfig: #"{"image": "ghcr.io/x/y:2", "transport": "sse", "target_port": 9090, "cmd_args": ["--flag"], "scaling_config": {"backend_replicas": 2}}"#)
        _ = try settle(WorkloadControllerRule(.deployment), &m)
        #expect(try settle(ProxyRunnerRule(), &m) == 3)
        let sts = try #require(m.get(ObjectKey(Kinds.statefulSet, namespace: "ns", name: "srv")))
        #expect(sts.ownerReferences.isEmpty)
        #expect(sts.labels == ["toolhive": "true", "toolhive-name": "srv"])
        #expect(sts.spec[path: "selector.matchLabels"] == ["app": "srv"])
        #expect(sts.spec["replicas"] == 2)
        #expect(sts.spec[path: "template.spec.containers"]?.arrayValue?.first?["image"] == "ghcr.io/x/y:2")
        #expect(sts.spec[path: "template.spec.serviceAccountName"] == "srv-sa")
        let headless = try #require(m.get(ObjectKey(Kinds.service, namespace: "ns", name: "mcp-srv-headless")))
        #expect(headless.spec["clusterIP"] == "None")
        #expect(headless.controllerOwner?.uid == sts.uid)
        let backend = try #require(m.get(ObjectKey(Kinds.service, namespace: "ns", name: "mcp-srv")))
        #expect(backend.spec["sessionAffinity"] == "ClientIP")
        #expect(backend.spec["ports"]?.arrayValue?.first?["port"] == 9090)
        // The StatefulSet controller gives the runner's pods the `app: srv` label, not L(N).
        _ = try settle(WorkloadControllerRule(.statefulSet), &m)
        #expect(m.snapshot.list(Kinds.pod, namespace: "ns", matching: ["app": "srv"]).map(\.name) == ["srv-0", "srv-1"])
        // Adoption by the operator survives the runner's next apply.
        let server = try #require(m.get(ObjectKey(Kinds.mcpServer, namespace: "ns", name: "srv")))
        var adopt = KubeObject(apiVersion: "apps/v1", kind: "StatefulSet", namespace: "ns", name: "srv")
        adopt.ownerReferences = [OwnerReference(controllerOf: server)]
        try m.apply(adopt)
        #expect(try settle(ProxyRunnerRule(), &m) == 1)
        #expect(m.get(sts.key)?.controllerOwner?.uid == server.uid)
    }

    @Test func stdioServersGetNoServices() throws {
        var m = try serverWithReadyProxy(transport: "stdio", runConfig: nil)
        _ = try settle(WorkloadControllerRule(.deployment), &m)
        _ = try settle(ProxyRunnerRule(), &m)
        #expect(m.get(ObjectKey(Kinds.statefulSet, namespace: "ns", name: "srv"))?.spec["replicas"] == 1)
        #expect(m.snapshot.list(Kinds.service, namespace: "ns").isEmpty)
    }
}

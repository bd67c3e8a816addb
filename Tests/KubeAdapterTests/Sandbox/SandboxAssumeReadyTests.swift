import Foundation
import Testing
import ReconcileCore
@testable import KubeAdapter

/// `operatorctl sandbox --assume-ready`: the world rules run against the sandbox store.
@Suite struct SandboxAssumeReadyTests {
    static func deployment(_ name: String, replicas: Int64 = 1) -> KubeObject {
        var d = KubeObject(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: name)
        d.spec = [
            "replicas": .int(replicas),
            "selector": ["matchLabels": ["app": .string(name)]],
            "template": [
                "metadata": ["labels": ["app": .string(name)]],
                "spec": ["containers": [["name": "main", "image": "example/app:1"]]],
            ],
        ]
        return d
    }

    static func pods(_ store: any SandboxStore) -> [KubeObject] {
        store.list(Kinds.pod, namespace: "default").objects
    }

    /// Polls off the concurrency pool's hot path (short sleeps), up to `seconds`.
    static func waitUntil(_ seconds: Double, _ check: () -> Bool) async -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            if check() { return true }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return check()
    }

    @Test func deploymentBecomesReadyWithPodsAndWatchesSeeIt() async throws {
        let sandbox = SandboxServer(port: 0, assumeReady: true)
        try sandbox.start()
        defer { sandbox.stop() }
        let store = sandbox.store
        let since = store.currentResourceVersion
        _ = try store.create(Self.deployment("web", replicas: 2))

        let ready = await Self.waitUntil(10) {
            let d = try? store.get(ObjectKey(Kinds.deployment, namespace: "default", name: "web"))
            return (d?.status["readyReplicas"]?.intValue ?? 0) >= 2 && Self.pods(store).count == 2
        }
        #expect(ready)
        let pods = Self.pods(store)
        #expect(pods.allSatisfy { $0.status["phase"]?.stringValue == "Running" && $0.labels["app"] == "web" })
        #expect(pods.allSatisfy { $0.ownerReferences.first?.name == "web" })
        // The writes went through the store: a watch from before sees the Pods added and the
        // Deployment's status modified.
        let events = try store.events(after: since, waitSeconds: 0)
        #expect(events.contains { $0.type == .added && $0.object.groupKind == Kinds.pod })
        #expect(events.contains { $0.type == .modified && $0.object.groupKind == Kinds.deployment && $0.object.status["readyReplicas"] != nil })

        // Scaling down deletes the extra Pod.
        var d = try store.get(ObjectKey(Kinds.deployment, namespace: "default", name: "web"))
        d.spec.set(path: ["replicas"], to: .int(1))
        _ = try store.update(d, subresource: .main)
        #expect(await Self.waitUntil(10) { Self.pods(store).count == 1 })
    }

    @Test func tickCarriesOutEveryKindOfChangeAndReachesAFixedPoint() throws {
        let store = InMemoryStore()
        store.seed([KubeObject(apiVersion: "v1", kind: "Namespace", namespace: "", name: "default")])
        var svc = KubeObject(apiVersion: "v1", kind: "Service", namespace: "default", name: "api")
        svc.spec = ["selector": ["app": "api"], "ports": [["port": 80]]]
        _ = try store.create(svc)
        _ = try store.create(Self.deployment("api"))
        let loop = SandboxWorldRules(store: store, rules: WorldRules.standard, environment: OperatorEnvironment())

        #expect(loop.tick() > 0)
        // The Service controller's upsert merges onto the Service: its address is set, the rest kept.
        let service = try store.get(ObjectKey(Kinds.service, namespace: "default", name: "api"))
        let clusterIP = service.spec["clusterIP"]?.stringValue ?? ""
        #expect(clusterIP.hasPrefix("10.96."))
        #expect(service.spec["ports"] != nil && service.spec["selector"] != nil)
        // A new Pod keeps the ready status the rule gave it.
        let pods = Self.pods(store)
        #expect(pods.count == 1)
        #expect(pods.first?.status["phase"]?.stringValue == "Running")
        // Nothing left to do: the rules see their own writes.
        let rv = store.currentResourceVersion
        #expect(loop.tick() == 0)
        #expect(store.currentResourceVersion == rv)
    }

    @Test func withoutAssumeReadyNothingHappensAndStopEndsTheLoop() async throws {
        let plain = SandboxServer(port: 0)
        #expect(plain.worldRules == nil)

        let sandbox = SandboxServer(port: 0, assumeReady: true)
        try sandbox.start()
        sandbox.stop()
        _ = try sandbox.store.create(Self.deployment("late"))
        let rv = sandbox.store.currentResourceVersion
        try? await Task.sleep(nanoseconds: 800_000_000)
        #expect(sandbox.store.currentResourceVersion == rv)
        #expect(Self.pods(sandbox.store).isEmpty)
    }
}

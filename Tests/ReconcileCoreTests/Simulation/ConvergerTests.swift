import Testing
@testable import ReconcileCore

@Suite struct ConvergerTests {
    let env = OperatorEnvironment()
    var workload: ControllerSet { ControllerSet([Fake.workload]) }
    /// The fake reconciler is no MCPServer controller, so the proxy runner stays out.
    let kubernetesOnly: [any WorldRule] = WorldRules.standard.filter { !($0 is ProxyRunnerRule) }

    func converge(_ objects: [KubeObject], controllers: ControllerSet, assumeReady: Bool, maxRounds: Int = 100, trace: Bool = false) throws(ConvergeError) -> ConvergeResult {
        let c = Converger(controllers: controllers, worldRules: kubernetesOnly, env: env, options: .init(assumeReady: assumeReady, maxRounds: maxRounds, recordTrace: trace))
        return try c.converge(ClusterModel(objects: objects, now: env.now))
    }

    @Test func assumeReadyReachesAFixedPointWithReadyWorkloads() throws {
        let result = try converge([Fake.server("a", replicas: 2), Fake.server("b")], controllers: workload, assumeReady: true)
        for name in ["a", "b"] {
            let s = try #require(result.model.get(ObjectKey(Kinds.mcpServer, namespace: "default", name: name)))
            #expect(s.status["phase"] == "Ready")
            #expect(s.condition("Ready")?.status == .true)
            #expect(s.finalizers == [Fake.finalizer])
        }
        #expect(result.model.snapshot.list(Kinds.pod, namespace: "default", matching: ["fake/instance": "a"]).count == 2)
        // Round 1 creates (and asks for a 30 s requeue), the world makes pods ready, round 2 writes
        // Ready, round 3 sees nothing to do; the work queue still fires the 30 s requeue (round 4),
        // which writes nothing either.
        #expect(result.rounds == 4)
        #expect(result.model.now == env.now.adding(seconds: 30))
        #expect(result.failures.isEmpty)
    }

    @Test func withoutAssumeReadyNothingBecomesReadyAndRequeuesEnd() throws {
        let result = try converge([Fake.server("a")], controllers: workload, assumeReady: false)
        let s = try #require(result.model.get(ObjectKey(Kinds.mcpServer, namespace: "default", name: "a")))
        #expect(s.status["phase"] == "Pending")
        #expect(result.model.snapshot.list(Kinds.pod).isEmpty)
        // The 30 s requeue was run once more, found nothing to write, and converge stopped there.
        #expect(result.model.now == env.now.adding(seconds: 30))
    }

    @Test func convergedStateIsASimulateFixedPoint() throws {
        let result = try converge([Fake.server("a", replicas: 1)], controllers: workload, assumeReady: true)
        let plan = Simulator.simulate(result.model.snapshot, env: env, controllers: workload)
        #expect(plan.reconciles.count == 1)
        #expect(plan.reconciles.allSatisfy { $0.actions.isEmpty })
    }

    @Test func outputBytesDoNotDependOnInputOrder() throws {
        let objects = (0..<12).map { Fake.server("s\($0)", replicas: Int64($0 % 3)) } + [Fake.configMap("cfg", data: ["a": "b"])]
        let reference = JSONWriter.write(try converge(objects, controllers: workload, assumeReady: true).list)
        for seed in [1, 7, 42] as [UInt64] {
            var rng = SplitMix64(seed: seed)
            let shuffled = objects.shuffled(using: &rng)
            #expect(shuffled.map(\.name) != objects.map(\.name))
            #expect(JSONWriter.write(try converge(shuffled, controllers: workload, assumeReady: true).list) == reference)
            let plan = Simulator.simulate(ClusterModel(objects: shuffled).snapshot, env: env, controllers: workload)
            #expect(JSONWriter.write(plan.value()) == JSONWriter.write(Simulator.simulate(ClusterModel(objects: objects).snapshot, env: env, controllers: workload).value()))
        }
    }

    @Test func oscillationIsReportedWithTheObjectAndField() throws {
        let group = KubeObject(apiVersion: Kinds.toolhiveAPIVersion, kind: "MCPGroup", namespace: "default", name: "g")
        #expect {
            _ = try converge([group], controllers: ControllerSet([Fake.flipFlop]), assumeReady: false)
        } throws: { error in
            guard case .oscillation(_, let still) = error as? ConvergeError else { return false }
            return still.map(\.key.name) == ["flip"] && still.first?.fields.contains("data.value: \"a\" → \"b\"") == true
                && still.first?.writers == [ClusterModel.operatorManager]
        }
    }

    @Test func runawayWritesStopAtMaxRounds() throws {
        let registry = KubeObject(apiVersion: Kinds.toolhiveAPIVersion, kind: "MCPRegistry", namespace: "default", name: "r")
        do {
            _ = try converge([registry], controllers: ControllerSet([Fake.counter]), assumeReady: false, maxRounds: 7)
            Issue.record("expected no fixed point")
        } catch {
            guard case .noFixedPoint(let rounds, let still) = error else { Issue.record("wrong error \(error)"); return }
            #expect(rounds == 7)
            #expect(still.map(\.key) == [registry.key])
            #expect(still.first?.fields == ["status.count: 6 → 7"])
            #expect(error.description.contains("MCPRegistry/default/r"))
        }
    }

    @Test func deletionRunsFinalizersThenCollectsOwnedObjects() throws {
        var first = try converge([Fake.server("a")], controllers: workload, assumeReady: true).model
        let key = ObjectKey(Kinds.mcpServer, namespace: "default", name: "a")
        first.delete(key, writer: "kubectl")
        #expect(first.get(key)?.isBeingDeleted == true)
        let result = try Converger(controllers: workload, worldRules: kubernetesOnly, env: env, options: .init(assumeReady: true)).converge(first)
        #expect(result.model.get(key) == nil)
        #expect(result.model.snapshot.list(Kinds.deployment).isEmpty)
        #expect(result.model.snapshot.list(Kinds.pod).isEmpty)
    }

    @Test func traceExplainsEveryWrite() throws {
        let result = try converge([Fake.server("a")], controllers: workload, assumeReady: true, trace: true)
        let created = try #require(result.trace.first { $0.target == ObjectKey(Kinds.deployment, namespace: "default", name: "a") })
        #expect(created.op == "create")
        #expect(created.writer == ClusterModel.operatorManager)
        #expect(created.reasons == ["Deployment a does not exist: runs the server"])
        let ready = try #require(result.trace.last { $0.target.kind == "MCPServer" && $0.op == "patchStatus" })
        #expect(ready.changedFields.contains("status.phase: \"Pending\" → \"Ready\""))
        #expect(ready.text.hasPrefix("round 2 (2026-01-01T00:00:00Z) MCPServer default/a: patchStatus MCPServer/default/a"))
        #expect(result.trace.contains { $0.writer == "deployment-controller" && $0.target.kind == "Pod" })
    }
}

@Suite struct WatchSimulationTests {
    @Test func aChangedDeploymentEnqueuesItsControllingServer() throws {
        let model = try {
            var m = ClusterModel(objects: [Fake.server("a")])
            let server = try #require(m.get(Fake.server("a").key))
            try m.apply(KubeObject.owned(by: server, kind: Kinds.deployment, name: "a"))
            return m
        }()
        let controllers = ControllerSet([Fake.workload])
        let (changed, requests) = try WatchSimulation.requests(forChanged: "deployment/default/a", in: model.snapshot, controllers: controllers, env: OperatorEnvironment())
        #expect(changed.uid == model.get(Kinds.deploymentKey("a"))?.uid)
        #expect(requests == [ReconcileRequest(controller: "MCPServer", key: Fake.server("a").key)])
        let doc = WatchSimulation.document(changed: changed, requests: requests, snapshot: model.snapshot)
        #expect(doc[path: "changed.kind"] == "Deployment")
        #expect(doc["kind"] == "EnqueuedRequests")
        #expect(doc["requests"]?.arrayValue?.first?[path: "object.apiVersion"] == .string(Kinds.toolhiveAPIVersion))
        // KIND/NAME uses the default namespace, KIND may carry its group; the server enqueues itself.
        let (server, own) = try WatchSimulation.requests(forChanged: "MCPServer.toolhive.stacklok.dev/a", in: model.snapshot, controllers: controllers, env: OperatorEnvironment())
        #expect(server.kind == "MCPServer")
        #expect(own.map(\.key.name) == ["a"])
    }

    @Test func badTargetsAreDescribed() {
        let s = Snapshot()
        #expect(throws: WatchSimulationError.badTarget("MCPServer")) {
            try WatchSimulation.requests(forChanged: "MCPServer", in: s, controllers: ControllerSet([]), env: OperatorEnvironment())
        }
        #expect(throws: WatchSimulationError.notFound("ConfigMap/ns/x")) {
            try WatchSimulation.requests(forChanged: "ConfigMap/ns/x", in: s, controllers: ControllerSet([]), env: OperatorEnvironment())
        }
        #expect(throws: WatchSimulationError.unknownKind("Gizmo")) {
            try WatchSimulation.requests(forChanged: "Gizmo/ns/x", in: s, controllers: ControllerSet([]), env: OperatorEnvironment())
        }
    }
}

import Testing
@testable import ReconcileCore

/// `converge --assume-ready` asks each world rule only about the primaries a write may have
/// affected (`WorldRuleQueue`). These check that it writes exactly what asking about every
/// primary after every write does, and that the rules' mappings find what they read.
@Suite struct WorldRuleQueueTests {
    /// A rule that cannot say what a write affects, so it is asked about every primary after
    /// any write: how every rule ran before the queue.
    struct AskingAboutEveryPrimary: WorldRule {
        let rule: any WorldRule
        var name: String { rule.name }
        var primaryKind: GroupKind { rule.primaryKind }
        func changes(for key: ObjectKey, in snapshot: Snapshot, env: OperatorEnvironment) -> [WorldChange] {
            rule.changes(for: key, in: snapshot, env: env)
        }
        func primaries(affectedBy object: KubeObject, key: ObjectKey, in model: ClusterModel) -> [ObjectKey]? { nil }
    }

    /// The List, every write (round, writer, fields) and every refused write, or the error.
    func converge(_ objects: [KubeObject], env: OperatorEnvironment, rules: [any WorldRule]) -> String {
        let converger = Converger(worldRules: rules, env: env, options: .init(assumeReady: true, recordTrace: true))
        do {
            let result = try converger.converge(ClusterModel(objects: objects, now: env.now))
            return ([YAMLWriter.write(result.list)] + result.trace.map(\.text) + result.failures).joined(separator: "\n")
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: GoldenCase.all)
    func theQueueWritesWhatAskingAboutEveryPrimaryWrites(_ c: GoldenCase) throws {
        let env = try c.environment()
        let objects = try c.loadObjects()
        let queued = converge(objects, env: env, rules: WorldRules.standard)
        let everything = converge(objects, env: env, rules: WorldRules.standard.map { AskingAboutEveryPrimary(rule: $0) })
        #expect(queued == everything)
        #expect(!queued.isEmpty)
    }

    /// Deletes each runner's headless Service once, a round after it first sees it (marker
    /// ConfigMaps record what it did), when the runner has nothing left to do for the server:
    /// only the runner's mapping from the Service back to its server brings it back, as nothing
    /// else writes the server then.
    struct DeletesHeadlessServicesOnce: WorldRule {
        var name: String { "vandal" }
        var primaryKind: GroupKind { Kinds.service }
        func changes(for key: ObjectKey, in snapshot: Snapshot, env: OperatorEnvironment) -> [WorldChange] {
            guard key.name.hasSuffix("-headless"), snapshot.contains(key),
                !snapshot.contains(Kinds.configMap, namespace: key.namespace, name: "deleted-\(key.name)")
            else { return [] }
            func marker(_ name: String) -> WorldChange {
                var m = KubeObject(apiVersion: "v1", kind: "ConfigMap", namespace: key.namespace, name: name)
                m.root["data"] = ["by": "vandal"]
                return .upsert(m)
            }
            guard snapshot.contains(Kinds.configMap, namespace: key.namespace, name: "seen-\(key.name)") else { return [marker("seen-\(key.name)")] }
            return [.delete(key), marker("deleted-\(key.name)")]
        }
        func primaries(affectedBy object: KubeObject, key: ObjectKey, in model: ClusterModel) -> [ObjectKey]? { nil }
    }

    @Test func aDeletedRunnerServiceComesBackAsWithRescans() throws {
        let c = try #require(GoldenCase.all.first { $0.testDescription == "VirtualMCPServer/discovered-auth" })
        let env = try c.environment()
        let objects = try c.loadObjects()
        let queued = converge(objects, env: env, rules: WorldRules.standard + [DeletesHeadlessServicesOnce()])
        let everything = converge(objects, env: env, rules: WorldRules.standard.map { AskingAboutEveryPrimary(rule: $0) } + [DeletesHeadlessServicesOnce()])
        #expect(queued == everything)
        let lines = queued.split(separator: "\n")
        let deleted = lines.filter { $0.contains(" vandal: delete Service/") }.count
        let created = lines.filter { $0.contains(" proxy-runner: create Service/") && $0.hasSuffix("-headless") }.count
        #expect(deleted > 0)
        #expect(created == 2 * deleted)
    }

    @Test func aPodLeadsToTheWorkloadItsOwnerUIDNames() throws {
        var d = KubeObject(apiVersion: "apps/v1", kind: "Deployment", namespace: "ns", name: "web")
        d.spec = ["replicas": 1]
        let m = ClusterModel(objects: [d])
        let stored = try #require(m.get(d.key))
        var ref = OwnerReference(controllerOf: stored)
        ref.name = "not-its-name"
        var pod = KubeObject(apiVersion: "v1", kind: "Pod", namespace: "ns", name: "web-1")
        pod.ownerReferences = [ref]
        let deployments = WorkloadControllerRule(.deployment), statefulSets = WorkloadControllerRule(.statefulSet)
        #expect(deployments.primaries(affectedBy: pod, key: pod.key, in: m) == [d.key])
        #expect(statefulSets.primaries(affectedBy: pod, key: pod.key, in: m) == [])
        #expect(deployments.primaries(affectedBy: stored, key: d.key, in: m) == [d.key])
        // A pod whose owner is gone leads nowhere.
        pod.ownerReferences = [OwnerReference(apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "gone", controller: true, blockOwnerDeletion: true)]
        #expect(deployments.primaries(affectedBy: pod, key: pod.key, in: m) == [])
    }

    @Test func theRunnersObjectsLeadBackToTheirServer() {
        for n in ["a", "server-1", "mcp-x", "x-headless", "ünï"] {
            for read in ProxyRunnerRule.reads {
                #expect(read.server(named: read.naming(n)) == .some(n), "\(read.kind) \(read.naming(n))")
            }
        }
        let m = ClusterModel(objects: [])
        let rule = ProxyRunnerRule()
        func servers(_ kind: GroupKind, _ name: String) -> [String]? {
            let key = ObjectKey(kind, namespace: "ns", name: name)
            let o = KubeObject(apiVersion: kind.group.isEmpty ? "v1" : "\(kind.group)/v1", kind: kind.kind, namespace: "ns", name: name)
            return rule.primaries(affectedBy: o, key: key, in: m)?.map(\.name).sorted()
        }
        #expect(servers(Kinds.mcpServer, "a") == ["a"])
        #expect(servers(Kinds.deployment, "a") == ["a"])
        #expect(servers(Kinds.statefulSet, "a") == ["a"])
        #expect(servers(Kinds.configMap, "a-runconfig") == ["a"])
        #expect(servers(Kinds.configMap, "unrelated") == [])
        // `mcp-a-headless` is server a's headless Service, or server a-headless's backend one.
        #expect(servers(Kinds.service, "mcp-a-headless") == ["a", "a-headless"])
        #expect(servers(Kinds.service, "mcp-a") == ["a"])
        #expect(servers(Kinds.service, "other") == [])
        #expect(servers(Kinds.secret, "a") == [])
    }

    @Test func onlyServicesLeadToServices() {
        let m = ClusterModel(objects: [])
        let svc = KubeObject(apiVersion: "v1", kind: "Service", namespace: "ns", name: "s")
        let cm = KubeObject(apiVersion: "v1", kind: "ConfigMap", namespace: "ns", name: "s")
        #expect(ServiceControllerRule().primaries(affectedBy: svc, key: svc.key, in: m) == [svc.key])
        #expect(ServiceControllerRule().primaries(affectedBy: cm, key: cm.key, in: m) == [])
        #expect(VMCPRuntimeRule().primaries(affectedBy: cm, key: cm.key, in: m) == nil)
    }
}

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
        #expect(VMCPRuntimeRule().primaries(affectedBy: cm, key: cm.key, in: m) == [])
    }

    /// A vMCP `v` of group `g` with an MCPServerEntry `e` whose CA bundle is ConfigMap `ca`, a
    /// server `s` whose auth config `te` reads Secret `te-secret`, and a vMCP `w` of another group.
    static let vmcpWorld: [KubeObject] = [
        VT.group(), VT.group("other"), VT.vmcp(), VT.vmcp("w", spec: #""groupRef":{"name":"other"},"incomingAuth":{"type":"anonymous"}"#),
        VT.server("s", authRef: "te"), VT.tokenExchange("te"), VT.secret("te-secret", key: "s"),
        VT.obj(#"{"apiVersion":"toolhive.stacklok.dev/v1beta1","kind":"MCPServerEntry","metadata":{"name":"e"},"spec":{"groupRef":{"name":"g"},"remoteUrl":"https://e.example.com/mcp","transport":"streamable-http","caBundleRef":{"configMapRef":{"name":"ca"}}},"status":{"phase":"Valid"}}"#),
    ]

    @Test func theVMCPRuntimeFindsTheVMCPsOfWhatItReads() {
        let m = ClusterModel(objects: Self.vmcpWorld)
        let rule = VMCPRuntimeRule()
        func vmcps(_ kind: GroupKind, _ name: String) -> [String]? {
            let o = m.get(ObjectKey(kind, namespace: VT.ns, name: name))
                ?? KubeObject(apiVersion: kind.group.isEmpty ? "v1" : "\(kind.group)/v1", kind: kind.kind, namespace: VT.ns, name: name)
            return rule.primaries(affectedBy: o, key: o.key, in: m)?.map(\.name).sorted()
        }
        #expect(vmcps(Kinds.virtualMCPServer, "w") == ["w"])
        #expect(vmcps(Kinds.deployment, "v") == ["v"])
        #expect(vmcps(Kinds.deployment, "s") == [])
        #expect(vmcps(Kinds.mcpGroup, "g") == ["v"])
        #expect(vmcps(Kinds.mcpGroup, "none") == [])
        #expect(vmcps(Kinds.mcpServer, "s") == ["v"])
        #expect(vmcps(Kinds.mcpServerEntry, "e") == ["v"])
        #expect(vmcps(Kinds.mcpExternalAuthConfig, "te") == ["v"])
        #expect(vmcps(Kinds.secret, "te-secret") == ["v"])
        #expect(vmcps(Kinds.secret, "unrelated") == [])
        // The entry's CA bundle: what backend discovery reads, and the Go controller does not watch.
        #expect(vmcps(Kinds.configMap, "ca") == ["v"])
        #expect(vmcps(Kinds.configMap, "unrelated") == [])
        #expect(vmcps(Kinds.service, "v") == [])
    }

    /// Creates the CA-bundle ConfigMap `ca` late: only after the runtime has reported `v`'s
    /// backends (the entry unreachable without it) and three further rounds (marker ConfigMaps),
    /// when nothing else writes `v` any more. Only a mapping from the ConfigMap back to `v` then
    /// has the runtime look at `v` again.
    struct CABundleArrivesLate: WorldRule {
        var name: String { "late-ca-bundle" }
        var primaryKind: GroupKind { Kinds.mcpServerEntry }
        func changes(for key: ObjectKey, in snapshot: Snapshot, env: OperatorEnvironment) -> [WorldChange] {
            guard key.name == "e", !snapshot.contains(Kinds.configMap, namespace: key.namespace, name: "ca"),
                snapshot.get(Kinds.virtualMCPServer, namespace: key.namespace, name: "v")?.status["backendCount"] != nil
            else { return [] }
            func configMap(_ name: String, _ data: Value) -> WorldChange {
                var m = KubeObject(apiVersion: "v1", kind: "ConfigMap", namespace: key.namespace, name: name)
                m.root["data"] = data
                return .upsert(m)
            }
            for tick in 1...3 where !snapshot.contains(Kinds.configMap, namespace: key.namespace, name: "wait-\(tick)") {
                return [configMap("wait-\(tick)", ["by": "late-ca-bundle"])]
            }
            return [configMap("ca", ["ca.crt": "-----BEGIN CERTIFICATE-----"])]
        }
        func primaries(affectedBy object: KubeObject, key: ObjectKey, in model: ClusterModel) -> [ObjectKey]? { nil }
    }

    /// The vMCP runtime rule with its ConfigMap mapping taken away.
    struct IgnoringConfigMaps: WorldRule {
        let rule = VMCPRuntimeRule()
        var name: String { rule.name }
        var primaryKind: GroupKind { rule.primaryKind }
        func changes(for key: ObjectKey, in snapshot: Snapshot, env: OperatorEnvironment) -> [WorldChange] {
            rule.changes(for: key, in: snapshot, env: env)
        }
        func primaries(affectedBy object: KubeObject, key: ObjectKey, in model: ClusterModel) -> [ObjectKey]? {
            key.groupKind == Kinds.configMap ? [] : rule.primaries(affectedBy: object, key: key, in: model)
        }
    }

    @Test func aLateCABundleReachesTheVMCPAsWithRescans() throws {
        let env = OperatorEnvironment()
        let standard = WorldRules.standard
        let queued = converge(Self.vmcpWorld, env: env, rules: standard + [CABundleArrivesLate()])
        let everything = converge(Self.vmcpWorld, env: env, rules: standard.map { AskingAboutEveryPrimary(rule: $0) } + [CABundleArrivesLate()])
        #expect(queued == everything)
        #expect(queued.contains("late-ca-bundle: create ConfigMap/default/ca"))
        // The scenario needs the mapping: without it the runtime never sees the bundle arrive.
        let unmapped = standard.map { (r: any WorldRule) -> any WorldRule in r is VMCPRuntimeRule ? IgnoringConfigMaps() : r }
        #expect(converge(Self.vmcpWorld, env: env, rules: unmapped + [CABundleArrivesLate()]) != everything)
    }
}

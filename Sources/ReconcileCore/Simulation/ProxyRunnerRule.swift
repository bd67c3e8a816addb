/// The ToolHive proxy runner (`thv run` inside the proxy Deployment's pod). Once an MCPServer's
/// proxy Deployment `N` has a ready replica, the runner server-side-applies what spec A §2.4 says
/// it creates, and the operator waits for: the StatefulSet `N` running the MCP server (pods
/// selected by `app: N`, owned by nothing until the operator adopts it) and, for `sse` and
/// `streamable-http`, the Services `mcp-N-headless` (ClusterIP None) and `mcp-N`, both owned by
/// the StatefulSet. It reads what the real runner reads: the RunConfig ConfigMap `N-runconfig`
/// (image, transport, target port, args, backend replicas), falling back to the MCPServer spec.
public struct ProxyRunnerRule: WorldRule {
    public init() {}
    public var name: String { "proxy-runner" }
    public var primaryKind: GroupKind { Kinds.mcpServer }

    public func changes(for key: ObjectKey, in snapshot: Snapshot, env: OperatorEnvironment) -> [WorldChange] {
        guard key.groupKind == Kinds.mcpServer, let server = snapshot.get(key), !server.isBeingDeleted, !server.uid.isEmpty else { return [] }
        let n = server.name
        // Only the proxy's owner, deletion and readiness are read: its pod template is not decoded.
        let proxyKey = ObjectKey(Kinds.deployment, namespace: server.namespace, name: Naming.serverDeployment(n))
        guard let proxy = snapshot.get(proxyKey, only: ["metadata", "status"]),
            proxy.controllerOwner?.uid == server.uid, !proxy.isBeingDeleted,
            (proxy.status["readyReplicas"]?.intValue ?? 0) > 0
        else { return [] }
        var out: [WorldChange] = []
        let config = RunnerConfig(server: server, snapshot: snapshot)
        let desired = statefulSet(for: server, config: config)
        if !snapshot.holds(desired.value, at: desired.key) {
            out.append(.upsert(desired))
        }
        guard config.transport == "sse" || config.transport == "streamable-http", let sts = snapshot.get(desired.key, only: Self.ownerFields), !sts.uid.isEmpty else { return out }
        for svc in services(for: server, config: config, owner: sts) where !snapshot.holds(svc.value, at: svc.key) {
            out.append(.upsert(svc))
        }
        return out
    }

    /// What an owner reference is made from (`OwnerReference(controllerOf:)`).
    static let ownerFields: Set<String> = ["apiVersion", "kind", "metadata"]

    /// What the runner of MCPServer `n` reads besides the server: objects named from `n`.
    static let reads: [NamedRead] = [
        NamedRead(Kinds.deployment, Naming.serverDeployment), NamedRead(Kinds.configMap, Naming.serverRunConfig),
        NamedRead(Kinds.statefulSet, Naming.serverStatefulSet),
        NamedRead(Kinds.service, Naming.serverHeadlessService), NamedRead(Kinds.service, Naming.serverBackendService),
    ]

    /// The server itself, and the servers whose runner reads `object` by name (`reads`, inverted).
    public func primaries(affectedBy object: KubeObject, key: ObjectKey, in model: ClusterModel) -> [ObjectKey]? {
        let kind = key.groupKind
        if kind == Kinds.mcpServer { return [key] }
        var out: [ObjectKey] = []
        for read in Self.reads where read.kind == kind {
            guard let n = read.server(named: key.name) else { return nil }
            if let n { out.append(ObjectKey(Kinds.mcpServer, namespace: key.namespace, name: n)) }
        }
        return out
    }

    /// An object the runner reads by a name made from the server's name `n`, with the way back
    /// from the name to `n`.
    struct NamedRead: Sendable {
        let kind: GroupKind
        let naming: @Sendable (String) -> String
        /// What `naming` puts before and after `n` (found by naming a marker once); nil when it
        /// does more than wrap `n`.
        let affix: (prefix: [UInt8], suffix: [UInt8])?

        init(_ kind: GroupKind, _ naming: @escaping @Sendable (String) -> String) {
            self.kind = kind
            self.naming = naming
            let probe = Array(naming("\u{1}").utf8)
            affix = probe.firstIndex(of: 1).map { (Array(probe[..<$0]), Array(probe[($0 + 1)...])) }
        }

        /// The server whose runner reads the object called `name`: `.some(nil)` when none does,
        /// nil when `naming` cannot be inverted.
        func server(named name: String) -> String?? {
            guard let (prefix, suffix) = affix else { return nil }
            let bytes = name.utf8
            guard bytes.count >= prefix.count + suffix.count, bytes.starts(with: prefix), bytes.reversed().starts(with: suffix.reversed()) else { return .some(nil) }
            let n = String(decoding: bytes.dropFirst(prefix.count).dropLast(suffix.count), as: UTF8.self)
            return .some(naming(n) == name ? n : nil)
        }
    }

    /// The few RunConfig fields the runner's workload depends on.
    struct RunnerConfig {
        var image: String
        var transport: String
        var targetPort: Int64
        var args: [Value]
        var replicas: Int64
        var serviceAccount: String?

        init(server: KubeObject, snapshot: Snapshot) {
            let spec = server.spec
            var json: Value = .null
            if let cm = snapshot.get(Kinds.configMap, namespace: server.namespace, name: Naming.serverRunConfig(server.name)),
                let text = cm.root["data"]?["runconfig.json"]?.stringValue,
                let parsed = try? JSONReader.parse(text)
            {
                json = parsed
            }
            image = json["image"]?.stringValue ?? spec["image"]?.stringValue ?? ""
            transport = json["transport"]?.stringValue ?? spec["transport"]?.stringValue ?? "stdio"
            let port = json["target_port"]?.intValue ?? spec["mcpPort"]?.intValue ?? 0
            targetPort = port > 0 ? port : 8080
            args = json["cmd_args"]?.arrayValue ?? spec["args"]?.arrayValue ?? []
            replicas = max(0, json[path: "scaling_config.backend_replicas"]?.intValue ?? spec["backendReplicas"]?.intValue ?? 1)
            if case .string(let sa)? = spec["serviceAccount"] {
                serviceAccount = sa.isEmpty ? nil : sa
            } else {
                serviceAccount = Naming.serverServiceAccount(server.name)
            }
        }
    }

    private func labels(_ n: String) -> [String: String] {
        ["toolhive": "true", "toolhive-name": n]
    }

    func statefulSet(for server: KubeObject, config: RunnerConfig) -> KubeObject {
        let n = server.name
        var sts = KubeObject(apiVersion: "apps/v1", kind: "StatefulSet", namespace: server.namespace, name: Naming.serverStatefulSet(n))
        sts.labels = labels(n)
        var container = OrderedMap()
        container["name"] = "mcp"
        container["image"] = .string(config.image)
        if !config.args.isEmpty { container["args"] = .array(config.args) }
        if config.transport != "stdio" {
            container["ports"] = [["containerPort": .int(config.targetPort), "protocol": "TCP"]]
        }
        var podSpec = OrderedMap()
        if let sa = config.serviceAccount { podSpec["serviceAccountName"] = .string(sa) }
        podSpec["containers"] = [.object(container)]
        var podLabels = labels(n)
        podLabels["app"] = n
        sts.spec = [
            "replicas": .int(config.replicas),
            "selector": ["matchLabels": ["app": .string(n)]],
            "serviceName": .string(n),
            "template": ["metadata": ["labels": .stringMap(podLabels)], "spec": .object(podSpec)],
        ]
        return sts
    }

    func services(for server: KubeObject, config: RunnerConfig, owner: KubeObject) -> [KubeObject] {
        let n = server.name
        let port: Value = [["name": .string("port-\(config.targetPort)"), "port": .int(config.targetPort), "targetPort": .int(config.targetPort), "protocol": "TCP"]]
        var headless = KubeObject(apiVersion: "v1", kind: "Service", namespace: server.namespace, name: Naming.serverHeadlessService(n))
        headless.labels = labels(n)
        headless.ownerReferences = [OwnerReference(controllerOf: owner)]
        headless.spec = ["selector": ["app": .string(n)], "ports": port, "type": "ClusterIP", "clusterIP": "None"]
        var backend = KubeObject(apiVersion: "v1", kind: "Service", namespace: server.namespace, name: Naming.serverBackendService(n))
        backend.labels = labels(n)
        backend.ownerReferences = [OwnerReference(controllerOf: owner)]
        backend.spec = [
            "selector": ["app": .string(n)], "ports": port, "type": "ClusterIP",
            "sessionAffinity": "ClientIP", "sessionAffinityConfig": ["clientIP": ["timeoutSeconds": 1800]],
        ]
        return [headless, backend]
    }
}

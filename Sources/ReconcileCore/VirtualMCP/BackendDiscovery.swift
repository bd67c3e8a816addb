/// A member workload of an MCPGroup, as the vMCP sees it (spec §5.1): read from the workload's own
/// spec and status, never from the group's status, so membership has no lag.
public struct GroupWorkload: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case mcpServer = "mcp_server"
        case remoteProxy = "remote_proxy"
        case serverEntry = "server_entry"
    }
    public var kind: Kind
    public var name: String
    public var url: String
    public var transport: String
    public var phase: String
    public var externalAuthConfigName: String?
    public var remoteURL: String?
    public var annotations: [String: String]
    /// MCPServerEntry `caBundleRef.configMapRef` (name, key).
    public var caBundle: (name: String, key: String)?
    /// MCPServerEntry `spec.headerForward` as written.
    public var headerForward: Value?

    public static func == (a: GroupWorkload, b: GroupWorkload) -> Bool {
        a.kind == b.kind && a.name == b.name && a.url == b.url && a.transport == b.transport && a.phase == b.phase
            && a.externalAuthConfigName == b.externalAuthConfigName && a.remoteURL == b.remoteURL && a.annotations == b.annotations
            && a.caBundle?.name == b.caBundle?.name && a.caBundle?.key == b.caBundle?.key && a.headerForward == b.headerForward
    }

    init?(_ o: KubeObject) {
        let spec = o.spec
        switch o.groupKind {
        case Kinds.mcpServer:
            kind = .mcpServer
            url = o.status["url"]?.stringValue ?? ""
            let transport = spec["transport"]?.stringValue ?? "stdio"
            // A stdio server is reached through its proxy, in the proxy mode (default streamable-http).
            self.transport = transport == "stdio" ? (spec["proxyMode"]?.stringValue ?? "streamable-http") : transport
        case Kinds.mcpRemoteProxy:
            kind = .remoteProxy
            url = o.status["url"]?.stringValue ?? ""
            transport = spec["transport"]?.stringValue ?? "streamable-http"
            remoteURL = spec["remoteUrl"]?.stringValue
        case Kinds.mcpServerEntry:
            kind = .serverEntry
            url = spec["remoteUrl"]?.stringValue ?? ""
            transport = spec["transport"]?.stringValue ?? ""
            remoteURL = spec["remoteUrl"]?.stringValue
            if let cm = spec[path: "caBundleRef.configMapRef"], let n = cm["name"]?.stringValue, !n.isEmpty {
                let key = cm["key"]?.stringValue ?? ""
                caBundle = (n, key.isEmpty ? "ca.crt" : key)
            }
            headerForward = spec["headerForward"].flatMap { $0.isEmptyish ? nil : $0 }
        default:
            return nil
        }
        name = o.name
        phase = Phase.normalized(o.status["phase"]?.stringValue) ?? ""
        externalAuthConfigName = spec[path: "externalAuthConfigRef.name"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        annotations = o.annotations
    }

    /// Health seeded from the workload's phase (the runtime's starting point before it probes).
    public var health: DiscoveredBackend.Health {
        switch (kind, phase) {
        case (.mcpServer, Phase.ready), (.remoteProxy, Phase.ready), (.serverEntry, "Valid"): return .healthy
        case (.mcpServer, Phase.failed), (.mcpServer, Phase.terminating), (.mcpServer, Phase.stopped),
            (.remoteProxy, Phase.failed), (.remoteProxy, Phase.terminating), (.serverEntry, Phase.failed):
            return .unhealthy
        default: return .unknown
        }
    }
}

/// One backend of a vMCP as discovery reports it: what `status.discoveredBackends[]` shows and
/// what the inline (`static`) `backends:` list of config.yaml is built from.
public struct DiscoveredBackend: Sendable, Equatable {
    public enum Health: String, Sendable {
        case healthy, unhealthy, unknown
        /// The CRD's `discoveredBackends[].status` value.
        public var statusValue: String {
            switch self {
            case .healthy: return "ready"
            case .unhealthy: return "unavailable"
            case .unknown: return "unknown"
            }
        }
        public var message: String {
            switch self {
            case .healthy: return "Healthy"
            case .unhealthy: return "Backend unavailable"
            case .unknown: return "Unknown"
            }
        }
    }
    public var name: String
    public var url: String
    public var transport: String
    public var health: Health
    /// Set when the backend cannot be reached at all yet (no URL, entry not valid); it is still
    /// reported, as unavailable, so users see it.
    public var unreachableReason: String?
    public var authConfigRef: String?
    public var authType: String?
    public var metadata: [String: String]
    public var caBundlePath: String?

    /// The `discoveredBackends[]` entry.
    public var statusValue: Value {
        var m = OrderedMap()
        m["name"] = .string(name)
        if !url.isEmpty { m["url"] = .string(url) }
        m["status"] = .string(unreachableReason == nil ? health.statusValue : Health.unhealthy.statusValue)
        if let authConfigRef { m["authConfigRef"] = .string(authConfigRef) }
        if let authType { m["authType"] = .string(authType) }
        m["message"] = .string(unreachableReason ?? health.message)
        m["circuitBreakerState"] = "closed"
        return .object(m)
    }

    public var isRoutable: Bool { unreachableReason == nil && health == .healthy }
}

/// What discovery found for one VirtualMCPServer.
public struct BackendDiscoveryResult: Sendable, Equatable {
    public var groupName: String
    public var groupFound: Bool
    /// Every member, in the operator's order: servers, proxies, entries, each by name.
    public var workloads: [GroupWorkload]
    /// Reported backends, sorted by name (auth failures excluded: fail closed).
    public var backends: [DiscoveredBackend]
    /// Members left out because their auth could not be resolved, with why.
    public var authFailures: [(workload: String, problem: AuthProblem)]

    public static func == (a: BackendDiscoveryResult, b: BackendDiscoveryResult) -> Bool {
        a.groupName == b.groupName && a.groupFound == b.groupFound && a.workloads == b.workloads && a.backends == b.backends
            && a.authFailures.map(\.workload) == b.authFailures.map(\.workload) && a.authFailures.map(\.problem) == b.authFailures.map(\.problem)
    }

    public var routableCount: Int { backends.filter(\.isRoutable).count }
}

/// Backend discovery as one pure function of the cluster state (Decision 1): the reconciler uses it
/// for what the operator owns (auth conditions, secret env, static backends) and the simulation's
/// vMCP runtime rule uses it to report `discoveredBackends`. The core never makes a network call;
/// health is seeded from each member's phase.
public enum BackendDiscovery {
    /// Member workloads of `group` in `namespace` (spec §5.1 order).
    public static func workloads(group: String, namespace: String, in snapshot: Snapshot) -> [GroupWorkload] {
        guard !group.isEmpty else { return [] }
        return snapshot.lookup(.groupRef, namespace: namespace, value: group).compactMap(GroupWorkload.init)
    }

    /// The transports a vMCP can reach a backend over.
    static let supportedTransports: Set<String> = ["sse", "streamable-http"]

    public static func discover(_ vmcp: KubeObject, spec: VirtualMCPServerSpec, in snapshot: Snapshot) -> BackendDiscoveryResult {
        let ns = vmcp.namespace
        let group = spec.groupName
        let found = !group.isEmpty && snapshot.contains(Kinds.mcpGroup, namespace: ns, name: group)
        let members = found ? workloads(group: group, namespace: ns, in: snapshot) : []
        var backends: [DiscoveredBackend] = []
        var failures: [(String, AuthProblem)] = []
        for w in members {
            let auth: OutgoingAuth.RuntimeAuth
            switch OutgoingAuth.runtimeStrategy(for: w, spec: spec, namespace: ns, in: snapshot) {
            case .failure(let p):
                failures.append((w.name, p))
                continue
            case .success(let a): auth = a
            }
            var unreachable: String? = nil
            var caPath: String? = nil
            if w.url.isEmpty {
                unreachable = "Backend has no URL yet (phase: \(w.phase.isEmpty ? "unknown" : w.phase))"
            } else if w.kind == .serverEntry && w.phase != "Valid" {
                unreachable = "MCPServerEntry is not valid (phase: \(w.phase.isEmpty ? "unknown" : w.phase))"
            } else if !Self.supportedTransports.contains(w.transport) {
                unreachable = "Unsupported transport \"\(w.transport)\""
            }
            if let ca = w.caBundle {
                // Where the Deployment mounts it, whether or not the ConfigMap exists yet (as Go's
                // caBundleMountPath); a missing bundle only makes the runtime report the backend.
                caPath = "/etc/toolhive/ca-bundles/\(w.name)/\(ca.key)"
                let cm = snapshot.get(Kinds.configMap, namespace: ns, name: ca.name)
                if cm?.root["data"]?[ca.key] == nil && cm?.root["binaryData"]?[ca.key] == nil {
                    unreachable = unreachable ?? "CA bundle ConfigMap \(ca.name) key \(ca.key) not found"
                }
            }
            backends.append(DiscoveredBackend(
                name: w.name, url: w.url, transport: w.transport, health: w.health, unreachableReason: unreachable,
                authConfigRef: auth.configRef, authType: auth.type, metadata: metadata(of: w, group: group, namespace: ns), caBundlePath: caPath))
        }
        backends.sort { $0.name < $1.name }
        return BackendDiscoveryResult(groupName: group, groupFound: found, workloads: members, backends: backends, authFailures: failures)
    }

    /// Workload annotations minus Kubernetes-system ones, then the system keys (which win).
    static func metadata(of w: GroupWorkload, group: String, namespace: String) -> [String: String] {
        let systemPrefixes = ["kubectl.kubernetes.io/", "kubernetes.io/", "deployment.kubernetes.io/", "k8s.io/"]
        var m = w.annotations.filter { k, _ in !systemPrefixes.contains { k.hasPrefix($0) } }
        m["tool_type"] = "mcp"
        m["workload_type"] = w.kind.rawValue
        m["workload_status"] = w.phase
        m["namespace"] = namespace
        if let r = w.remoteURL { m["remote_url"] = r }
        m["group"] = group
        return m
    }
}

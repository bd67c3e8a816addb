/// Plays the vMCP runtime's Kubernetes status reporter (spec §5.3, §6.3) for the offline engine:
/// once a vMCP's Deployment has ready replicas, it reports `discoveredBackends`, `backendCount`,
/// `BackendsDiscovered` and `Degraded`, computed with the same `BackendDiscovery` the reconciler
/// uses. It writes only those runtime-owned fields (never phase, message or `Ready`, which the
/// operator derives from them), so the two writers never fight and converge reaches a fixed point.
public struct VMCPRuntimeRule: WorldRule {
    public init() {}
    public var name: String { "vmcp-runtime" }
    public var primaryKind: GroupKind { Kinds.virtualMCPServer }

    public func changes(for key: ObjectKey, in snapshot: Snapshot, env: OperatorEnvironment) -> [WorldChange] {
        // With the setting off, the operator writes these fields itself: never two writers.
        guard env.vmcpRuntimeReportsStatus, key.groupKind == Kinds.virtualMCPServer, let vmcp = snapshot.get(key),
            env.watches(namespace: vmcp.namespace), !vmcp.isBeingDeleted,
            let deployment = snapshot.get(ObjectKey(Kinds.deployment, namespace: vmcp.namespace, name: Naming.vmcpDeployment(vmcp.name)), only: ["metadata", "status"]),
            deployment.controllerOwner?.uid == vmcp.uid,
            (deployment.status["readyReplicas"]?.intValue ?? 0) > 0,
            let spec = try? VirtualMCPServerSpec(vmcp)
        else { return [] }
        let discovery = BackendDiscovery.discover(vmcp, spec: spec, in: snapshot)
        let reported = VMCPStatus.withRuntimeReport(discovery, on: vmcp.status, generation: vmcp.generation, now: env.now)
        return reported != vmcp.status ? [.setStatus(vmcp.key, reported)] : []
    }

    /// What `changes(for:)` reads, inverted: the vMCP itself; its Deployment (named after it);
    /// through backend discovery its group, the group's members, the MCPExternalAuthConfigs their
    /// runtime auth resolves to and those configs' Secrets, and the CA-bundle ConfigMaps of
    /// MCPServerEntry members. Members are mapped on the versions before and after a write, so a
    /// member moving between groups reaches both groups' vMCPs.
    public func primaries(affectedBy object: KubeObject, key: ObjectKey, in model: ClusterModel) -> [ObjectKey]? {
        let snapshot = model.snapshot
        let ns = key.namespace
        func vmcps(inGroup group: String?) -> [ObjectKey] {
            group.map { snapshot.lookup(.groupRef, kind: Kinds.virtualMCPServer, namespace: ns, value: $0) } ?? []
        }
        switch key.groupKind {
        case Kinds.virtualMCPServer:
            return [key]
        case Kinds.deployment:
            // Every MCPServer's Deployment has a name a vMCP could have too: only an existing vMCP is due.
            guard let name = Self.deploymentRead.server(named: key.name) else { return nil }
            guard let vmcp = name.map({ ObjectKey(Kinds.virtualMCPServer, namespace: ns, name: $0) }), snapshot.contains(vmcp) else { return [] }
            return [vmcp]
        case Kinds.mcpGroup:
            return vmcps(inGroup: key.name)
        case Kinds.mcpServer, Kinds.mcpRemoteProxy, Kinds.mcpServerEntry:
            return vmcps(inGroup: GroupRef.name(in: object))
        case Kinds.mcpExternalAuthConfig:
            return VirtualMCPServerReconciler.vmcps(usingExternalAuthConfig: key.name, namespace: ns, in: snapshot)
        case Kinds.secret:
            return VirtualMCPServerReconciler.externalAuthConfigs(reading: key.name, namespace: ns, in: snapshot).sorted().flatMap {
                VirtualMCPServerReconciler.vmcps(usingExternalAuthConfig: $0, namespace: ns, in: snapshot)
            }
        case Kinds.configMap:
            return snapshot.list(Kinds.mcpServerEntry, namespace: ns)
                .filter { GroupWorkload($0)?.caBundle?.name == key.name }
                .flatMap { vmcps(inGroup: GroupRef.name(in: $0)) }
        default:
            return []
        }
    }

    /// The vMCP's Deployment, read by name (`Naming.vmcpDeployment`), with the way back to the vMCP.
    static let deploymentRead = ProxyRunnerRule.NamedRead(Kinds.deployment, Naming.vmcpDeployment)
}

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
            let deployment = snapshot.get(Kinds.deployment, namespace: vmcp.namespace, name: Naming.vmcpDeployment(vmcp.name)),
            deployment.controllerOwner?.uid == vmcp.uid,
            (deployment.status["readyReplicas"]?.intValue ?? 0) > 0,
            let spec = try? VirtualMCPServerSpec(vmcp)
        else { return [] }
        let discovery = BackendDiscovery.discover(vmcp, spec: spec, in: snapshot)
        let reported = VMCPStatus.withRuntimeReport(discovery, on: vmcp.status, generation: vmcp.generation, now: env.now)
        return reported != vmcp.status ? [.setStatus(vmcp.key, reported)] : []
    }

    /// Backend discovery reads the group, its members, their auth configs, Secrets and CA
    /// bundles: not worth mapping exactly for a vMCP per ten servers, so any write has every vMCP
    /// looked at again (what the rule did before `WorldRuleQueue`).
    public func primaries(affectedBy object: KubeObject, key: ObjectKey, in model: ClusterModel) -> [ObjectKey]? { nil }
}

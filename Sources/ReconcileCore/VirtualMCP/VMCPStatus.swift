/// The two halves of a VirtualMCPServer's status and who writes which (Decision 1): the runtime
/// half (`discoveredBackends`, `backendCount`, `BackendsDiscovered`, `Degraded`) and the operator's
/// phase/`Ready` computed from pods and the runtime-reported backends. Keeping each half a pure
/// function of its inputs, and each writer to its half, is what keeps converge from flip-flopping.
public enum VMCPStatus {
    public static let backendsDiscovered = "BackendsDiscovered"
    public static let degraded = "Degraded"
    /// Status fields the runtime owns.
    public static let runtimeFields = ["discoveredBackends", "backendCount"]
    public static let runtimeConditions: Set<String> = [backendsDiscovered, degraded]

    /// `status` with the runtime's report about `discovery` written into it; nothing else changes.
    public static func withRuntimeReport(_ discovery: BackendDiscoveryResult, on status: Value, generation: Int64, now: Timestamp) -> Value {
        var m = status.objectValue ?? OrderedMap()
        m["discoveredBackends"] = discovery.backends.isEmpty ? nil : .array(discovery.backends.map(\.statusValue))
        m["backendCount"] = .int(Int64(discovery.routableCount))
        var conditions = ConditionList(status: status)
        let n = discovery.backends.count
        conditions.set(
            backendsDiscovered, .true, reason: backendsDiscovered, message: n == 0 ? "No backends configured" : "Discovered \(n) backends",
            observedGeneration: generation, now: now)
        // Offline there is no latency measurement, so no backend is ever "degraded".
        conditions.remove(degraded)
        m["conditions"] = conditions.value
        return .object(m)
    }

    /// The operator's phase / message / `Ready` (spec §6.2).
    public struct Readiness: Sendable, Equatable {
        public var phase: String
        public var message: String
        public var ready: Bool
        public var reason: String
        public var readyMessage: String
    }

    /// From the pods of the Deployment (falling back to its `readyReplicas` when no pods are
    /// visible) and the backends the runtime reported.
    public static func readiness(vmcp: KubeObject, snapshot: Snapshot, backends: [Value]) -> Readiness {
        let labels = VMCPDeploymentBuilder.workloadLabels(vmcp.name)
        let pods = snapshot.list(Kinds.pod, namespace: vmcp.namespace, matching: labels).filter { !$0.isBeingDeleted }
        var ready = 0, failed = 0
        for p in pods {
            if p.status["phase"]?.stringValue == "Failed" { failed += 1 }
            else if p.condition("Ready")?.status == .true { ready += 1 }
        }
        if pods.isEmpty, let d = snapshot.get(Kinds.deployment, namespace: vmcp.namespace, name: Naming.vmcpDeployment(vmcp.name)) {
            ready = Int(d.status["readyReplicas"]?.intValue ?? 0)
        }
        if ready == 0 && failed > 0 {
            return Readiness(phase: Phase.failed, message: "Virtual MCP server failed to start", ready: false, reason: "DeploymentFailed", readyMessage: "Deployment failed")
        }
        if ready == 0 {
            let msg = pods.isEmpty ? "No pods found for Virtual MCP server" : "Virtual MCP server is starting"
            return Readiness(phase: Phase.pending, message: msg, ready: false, reason: "DeploymentNotReady", readyMessage: "Deployment is not yet ready")
        }
        let running = Readiness(phase: Phase.ready, message: "Virtual MCP server is running", ready: true, reason: "DeploymentReady", readyMessage: "Deployment is ready")
        if backends.isEmpty { return running }
        let routable = backends.filter { ["ready", "unauthenticated"].contains($0["status"]?.stringValue ?? "") }.count
        let unhealthy = backends.count - routable
        if routable == 0 {
            return Readiness(
                phase: Phase.degraded, message: "Virtual MCP server is running but all \(unhealthy) backends are unhealthy", ready: false,
                reason: "BackendsUnavailable", readyMessage: "All backends are unhealthy")
        }
        if unhealthy > 0 {
            return Readiness(
                phase: Phase.degraded, message: "Virtual MCP server is running with \(routable)/\(backends.count) backends available", ready: false,
                reason: "BackendsDegraded", readyMessage: "Some backends are unhealthy")
        }
        return running
    }
}

/// MCPExternalAuthConfig (spec §8.1): validation, `configHash`, and a finalizer that blocks
/// deletion while MCPServers, MCPRemoteProxies, MCPServerEntries or VirtualMCPServers reference it.
public struct MCPExternalAuthConfigReconciler: Reconciler {
    public static let finalizer = "mcpexternalauthconfig.toolhive.stacklok.dev/finalizer"
    public init() {}
    public var name: String { "MCPExternalAuthConfig" }
    public var primaryKind: GroupKind { Kinds.mcpExternalAuthConfig }

    public func reconcile(_ snapshot: Snapshot, key: ObjectKey, env: OperatorEnvironment) -> ReconcileResult {
        ReferencedConfig.reconcileHashed(
            controller: name, finalizer: Self.finalizer, referencedBy: .externalAuthConfigRef, snapshot: snapshot, key: key, env: env,
            validate: MCPExternalAuthConfigSpec.validate)
    }

    public func primaries(affectedBy changed: KubeObject, in snapshot: Snapshot) -> [ObjectKey] {
        ReferencedConfig.referenced(by: changed, through: .externalAuthConfigRef, kind: primaryKind)
    }
}

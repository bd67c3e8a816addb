/// MCPExternalAuthConfig (spec §8.1): validation, `configHash`, and a finalizer that blocks
/// deletion while MCPServers, MCPRemoteProxies, MCPServerEntries or VirtualMCPServers reference it.
public struct MCPExternalAuthConfigReconciler: Reconciler {
    public static let finalizer = "mcpexternalauthconfig.toolhive.stacklok.dev/finalizer"
    public init() {}
    public var name: String { "MCPExternalAuthConfig" }
    public var primaryKind: GroupKind { Kinds.mcpExternalAuthConfig }

    public func reconcile(_ snapshot: Snapshot, key: ObjectKey, env: OperatorEnvironment) -> ReconcileResult {
        guard let object = snapshot.get(key) else {
            return ReconcileResult(controller: name, object: ObjectReference(apiVersion: Kinds.toolhiveAPIVersion, kind: key.kind, namespace: key.namespace, name: key.name))
        }
        let flow = ReferencedConfig(
            controller: name, finalizer: Self.finalizer, object: object, snapshot: snapshot, env: env,
            referencers: snapshot.lookup(.externalAuthConfigRef, namespace: key.namespace, value: key.name))
        return flow.reconcile { status, conditions, plan in
            let problem = MCPExternalAuthConfigSpec.validate(object)
            ReferencedConfig.setValid(problem, object: object, conditions: &conditions, plan: &plan, now: env.now)
            if problem == nil { status["configHash"] = .string(ConfigHash.of(spec: object.spec)) }
        }
    }

    /// Deleting a referencer may unblock a pending deletion.
    public func primaries(affectedBy changed: KubeObject, in snapshot: Snapshot) -> [ObjectKey] {
        guard FieldIndex.externalAuthConfigRef.kinds.contains(changed.groupKind) else { return [] }
        return FieldIndex.externalAuthConfigRef.extract(changed).map { ObjectKey(Kinds.mcpExternalAuthConfig, namespace: changed.namespace, name: $0) }
    }
}

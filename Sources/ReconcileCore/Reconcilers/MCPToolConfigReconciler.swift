/// MCPToolConfig (spec §8.2): `Valid`, `configHash`, and a finalizer that blocks deletion while an
/// MCPServer (`spec.toolConfigRef`) or a VirtualMCPServer (`aggregation.tools[].toolConfigRef`) uses it.
public struct MCPToolConfigReconciler: Reconciler {
    public static let finalizer = "toolhive.stacklok.dev/toolconfig-finalizer"
    public init() {}
    public var name: String { "MCPToolConfig" }
    public var primaryKind: GroupKind { Kinds.mcpToolConfig }

    public func reconcile(_ snapshot: Snapshot, key: ObjectKey, env: OperatorEnvironment) -> ReconcileResult {
        guard let object = snapshot.get(key) else {
            return ReconcileResult(controller: name, object: ObjectReference(apiVersion: Kinds.toolhiveAPIVersion, kind: key.kind, namespace: key.namespace, name: key.name))
        }
        let flow = ReferencedConfig(
            controller: name, finalizer: Self.finalizer, object: object, snapshot: snapshot, env: env,
            referencers: snapshot.lookup(.toolConfigRef, namespace: key.namespace, value: key.name))
        return flow.reconcile { status, conditions, plan in
            var problem: String? = nil
            do throws(FieldError) { _ = try MCPToolConfigSpec(object) } catch { problem = error.description }
            ReferencedConfig.setValid(problem, object: object, conditions: &conditions, plan: &plan, now: env.now)
            if problem == nil { status["configHash"] = .string(ConfigHash.of(spec: object.spec)) }
        }
    }

    public func primaries(affectedBy changed: KubeObject, in snapshot: Snapshot) -> [ObjectKey] {
        guard FieldIndex.toolConfigRef.kinds.contains(changed.groupKind) else { return [] }
        return FieldIndex.toolConfigRef.extract(changed).map { ObjectKey(Kinds.mcpToolConfig, namespace: changed.namespace, name: $0) }
    }
}
